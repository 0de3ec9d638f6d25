#!/usr/bin/python3
"""Export a tiny, randomly initialised ViT with DINOv2's interface, to test `./mindstream bank build` without
downloading real DINOv2 weights.

Same shape contract as DINOv2 exported from Hugging Face: input `pixel_values` (B, 3, 224, 224) float32 normalised
with ImageNet mean/std, patch size 14 (16 x 16 = 256 patches), a CLS token first, output `last_hidden_state`
(B, 257, D). Only the width and depth are tiny (D = 48, 2 blocks), so the file is a few hundred KB.

  /usr/bin/python3 export_tiny_vit.py --out ../../test/resources/tiny-vit

Writes tiny-vit.onnx and fixtures.json: for a few uniform colours (whose resize + centre crop is exact in any
implementation) the CLS-token and mean-patch-token embeddings torch computes, for the Java test.
"""
import argparse
import json
import os

import torch
from torch import nn

MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]


class TinyVit(nn.Module):
    def __init__(self, dim=48, depth=2, heads=3, patch=14, image=224):
        super().__init__()
        self.patch_embed = nn.Conv2d(3, dim, patch, stride=patch)
        self.cls_token = nn.Parameter(torch.randn(1, 1, dim) * 0.5)
        self.pos_embed = nn.Parameter(torch.randn(1, 1 + (image // patch) ** 2, dim) * 0.1)
        layer = nn.TransformerEncoderLayer(dim, heads, dim * 4, dropout=0.0, activation="gelu", batch_first=True,
                                           norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, depth)
        self.norm = nn.LayerNorm(dim)

    def forward(self, pixel_values):
        x = self.patch_embed(pixel_values).flatten(2).transpose(1, 2)        # (B, 256, D)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed
        return self.norm(self.blocks(x))                                      # (B, 257, D)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    torch.manual_seed(args.seed)
    model = TinyVit().eval()
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "tiny-vit.onnx")
    torch.onnx.export(model, torch.zeros(2, 3, 224, 224), path, input_names=["pixel_values"],
                      output_names=["last_hidden_state"],
                      dynamic_axes={"pixel_values": {0: "batch"}, "last_hidden_state": {0: "batch"}}, opset_version=13)
    colours = [[255, 0, 0], [0, 128, 255], [200, 200, 40], [17, 17, 17]]
    fixtures = []
    with torch.no_grad():
        for rgb in colours:
            x = torch.tensor([(c / 255.0 - m) / s for c, m, s in zip(rgb, MEAN, STD)], dtype=torch.float32)
            x = x.view(1, 3, 1, 1).expand(1, 3, 224, 224).contiguous()
            tokens = model(x)[0]
            fixtures.append({"rgb": rgb, "cls": tokens[0].tolist(), "mean": tokens[1:].mean(dim=0).tolist()})
    with open(os.path.join(args.out, "fixtures.json"), "w") as f:
        json.dump({"model": "tiny-vit.onnx", "dim": 48, "tokens": 257, "colours": fixtures}, f)
    print(f"wrote {path} ({os.path.getsize(path) / 1e3:.0f} kB) and fixtures.json")


if __name__ == "__main__":
    main()
