"""Seeded synthetic layer problems with correlated inputs, outlier input channels and dead columns,
shared by the fixture script and the numpy benchmark (research note §1.8 style)."""
import numpy as np


def correlated_problem(q, p, tokens, seed, outlier_channels=8, dead_columns=()):
    """W (q, p) float32 and S = XᵀX (p, p) float64 for X of `tokens` rows.

    X mixes p latent factors through a random matrix with a decaying spectrum (correlated channels);
    `outlier_channels` channels are scaled ×10; `dead_columns` never fire. W ~ N(0, 0.02²) with 0.5% of
    entries ×8."""
    rng = np.random.default_rng(seed)
    mix = rng.standard_normal((p, p)) * (1.0 / np.sqrt(1.0 + np.arange(p)))[:, None]
    X = rng.standard_normal((tokens, p)) @ mix / np.sqrt(p) + 0.3 * rng.standard_normal((tokens, p))
    X[:, rng.choice(p, outlier_channels, replace=False)] *= 10.0
    X[:, list(dead_columns)] = 0.0
    W = rng.normal(0.0, 0.02, (q, p))
    big = rng.random((q, p)) < 0.005
    W[big] *= 8.0
    return W.astype(np.float32), X.T.astype(np.float64) @ X.astype(np.float64)
