"""The MEG brain module of Benchetrit et al. (ICLR 2024), after Défossez et al.'s brainmagick SimpleConv.

Layer stack (docs: /work/shared/docs/decoding.md §3.1, mindstream docs/decoding.md):
  1. spatial attention over sensor positions (Fourier embedding of the 2-D layout, one learned query per
     virtual channel, softmax over input sensors; train-time spatial dropout of a disc of sensors)
  2. 1x1 convolution
  3. subject layer (one channel-mixing matrix per subject, no bias)
  4. dilated residual conv blocks (kernel 3, BatchNorm + GELU, residual when shapes match, dilation doubling and
     reset every `dilation_period` layers) with a GLU convolution after every 2nd block
  5. output projection 1x1 conv -> GELU -> 1x1 conv to F'
  6. temporal aggregation: learned affine map R^T -> R (T + 1 parameters)
  7. two heads F' -> F (LayerNorm without affine, GELU, Linear): one for the CLIP loss, one for the MSE loss.

Written from the description in the paper/brainmagick documentation; no code was copied.
"""
import math
from dataclasses import dataclass, asdict

import torch
from torch import nn
import torch.nn.functional as F


@dataclass
class BrainModuleConfig:
    channels: int = 272          # input sensors
    times: int = 181             # samples per epoch (-0.5 .. +1.0 s at 120 Hz)
    out_dim: int = 1536          # embedding size F (the bank's dimension)
    subjects: int = 1
    merger_channels: int = 270   # virtual channels after spatial attention
    fourier_freqs: int = 32      # per axis: 32 x 32 frequencies -> cos/sin -> 2048-d position embedding
    merger_dropout: float = 0.2  # radius (normalised layout units) of the dropped disc during training
    hidden: int = 320
    depth: int = 4               # conv blocks; a GLU conv follows every 2nd block
    dilation_period: int = 5
    proj_dim: int = 2048         # F'
    head_dropout: float = 0.0

    @staticmethod
    def paper(out_dim=1536, subjects=4, channels=272, times=181):
        return BrainModuleConfig(channels=channels, times=times, out_dim=out_dim, subjects=subjects)

    @staticmethod
    def demo(out_dim, subjects=1, channels=272, times=181):
        """Reduced configuration (0.28 M parameters) for the bundled model: small enough for a CPU (docs/decoding.md)."""
        return BrainModuleConfig(channels=channels, times=times, out_dim=out_dim, subjects=subjects,
                                 merger_channels=48, fourier_freqs=8, hidden=48, depth=4, proj_dim=128)


class FourierEmbedding(nn.Module):
    """Positions in [0,1]^2 -> [cos, sin] of 2*pi*(fx*x + fy*y)/width for an fx x fy frequency grid."""

    def __init__(self, freqs: int, margin: float = 0.2):
        super().__init__()
        self.freqs, self.margin = freqs, margin

    @property
    def dim(self):
        return 2 * self.freqs * self.freqs

    def forward(self, positions):  # (C, 2)
        width = 1 + 2 * self.margin
        p = positions + self.margin
        f = torch.arange(self.freqs, dtype=positions.dtype, device=positions.device)
        px = 2 * math.pi * f[None, :] * p[:, :1] / width  # (C, F)
        py = 2 * math.pi * f[None, :] * p[:, 1:2] / width
        loc = (px[:, :, None] + py[:, None, :]).reshape(positions.shape[0], -1)
        return torch.cat([torch.cos(loc), torch.sin(loc)], dim=1)


class SpatialAttention(nn.Module):
    def __init__(self, cfg: BrainModuleConfig, positions: torch.Tensor):
        super().__init__()
        pos = positions.float()
        lo, hi = pos.min(dim=0).values, pos.max(dim=0).values
        self.register_buffer("positions", (pos - lo) / (hi - lo).clamp_min(1e-9))
        self.embedding = FourierEmbedding(cfg.fourier_freqs)
        self.queries = nn.Parameter(torch.randn(cfg.merger_channels, self.embedding.dim) / math.sqrt(self.embedding.dim))
        self.dropout_radius = cfg.merger_dropout

    def forward(self, x):  # x (B, C, T)
        emb = self.embedding(self.positions)          # (C, P)
        scores = emb @ self.queries.t()               # (C, V)
        if self.training and self.dropout_radius > 0:
            centre = torch.rand(2, device=x.device)
            dropped = ((self.positions - centre) ** 2).sum(dim=1).sqrt() <= self.dropout_radius
            scores = scores.masked_fill(dropped[:, None], float("-inf"))
        weights = torch.softmax(scores, dim=0)        # softmax over input sensors
        return torch.einsum("bct,cv->bvt", x, weights)


class SubjectLayer(nn.Module):
    def __init__(self, subjects: int, channels: int):
        super().__init__()
        self.weights = nn.Parameter(torch.eye(channels).repeat(subjects, 1, 1)
                                    + 0.01 * torch.randn(subjects, channels, channels))

    def forward(self, x, subject):
        """x (B, C, T); subject: a (B,) long tensor, or one int (the exported graph bakes one subject in)."""
        if isinstance(subject, int):
            return torch.einsum("bct,cd->bdt", x, self.weights[subject])
        return torch.einsum("bct,bcd->bdt", x, self.weights[subject])


class ConvBlock(nn.Module):
    def __init__(self, cin, cout, dilation):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, 3, padding=dilation, dilation=dilation)
        self.norm = nn.BatchNorm1d(cout)
        self.residual = cin == cout

    def forward(self, x):
        y = F.gelu(self.norm(self.conv(x)))
        return x + y if self.residual else y


class BrainModule(nn.Module):
    def __init__(self, cfg: BrainModuleConfig, positions):
        super().__init__()
        self.cfg = cfg
        self.merger = SpatialAttention(cfg, torch.as_tensor(positions))
        self.initial = nn.Conv1d(cfg.merger_channels, cfg.merger_channels, 1)
        self.subject_layer = SubjectLayer(cfg.subjects, cfg.merger_channels)
        blocks, glus = [], []
        cin = cfg.merger_channels
        for k in range(cfg.depth):
            blocks.append(ConvBlock(cin, cfg.hidden, 2 ** (k % cfg.dilation_period)))
            cin = cfg.hidden
            glus.append(nn.Conv1d(cfg.hidden, 2 * cfg.hidden, 3, padding=1) if k % 2 == 1 else None)
        self.blocks = nn.ModuleList(blocks)
        self.glus = nn.ModuleList([g if g is not None else nn.Identity() for g in glus])
        self.has_glu = [g is not None for g in glus]
        self.projection = nn.Sequential(nn.Conv1d(cfg.hidden, 2 * cfg.hidden, 1), nn.GELU(),
                                        nn.Conv1d(2 * cfg.hidden, cfg.proj_dim, 1))
        self.temporal = nn.Linear(cfg.times, 1)  # the affine aggregation: T weights + 1 bias
        self.clip_head = self._head()
        self.mse_head = self._head()

    def _head(self):
        c = self.cfg
        return nn.Sequential(nn.LayerNorm(c.proj_dim, elementwise_affine=False), nn.GELU(),
                             nn.Dropout(c.head_dropout), nn.Linear(c.proj_dim, c.out_dim))

    def features(self, x, subject):
        h = self.initial(self.merger(x))
        h = self.subject_layer(h, subject)
        for block, glu, has in zip(self.blocks, self.glus, self.has_glu):
            h = block(h)
            if has:
                h = F.glu(glu(h), dim=1)
        h = self.projection(h)                       # (B, F', T)
        return self.temporal(h).squeeze(-1)          # (B, F')

    def forward(self, x, subject):
        f = self.features(x, subject)
        return self.clip_head(f), self.mse_head(f)


class ExportedBrainModule(nn.Module):
    """What the ONNX file holds: one subject's layer baked in, epochs (B, C, T) -> CLIP-head embedding (B, F)."""

    def __init__(self, module: BrainModule, subject: int):
        super().__init__()
        self.module, self.subject = module, subject

    def forward(self, epochs):
        return self.module.clip_head(self.module.features(epochs, self.subject))


def clip_loss(estimate, candidates):
    """brainmagick's CLIP loss: only the candidates are normalised, no temperature, in-batch negatives."""
    scores = estimate @ F.normalize(candidates, dim=1).t()
    return F.cross_entropy(scores, torch.arange(len(estimate), device=estimate.device))


def config_dict(cfg: BrainModuleConfig):
    return asdict(cfg)
