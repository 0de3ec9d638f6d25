package io.mindstream.decoder.bank;

/** How a ViT's token sequence becomes one image embedding. */
public enum TokenPooling {
    /** The CLS token (token 0), DINOv2's usual image embedding. */
    CLS,
    /** The mean of the patch tokens (tokens 1 …), as NeuralBench aggregates DINOv2 features. */
    MEAN
}
