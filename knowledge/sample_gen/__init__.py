"""Seeded generator of the bundled, clearly fictional sample corpus (`python -m knowledge.sample_gen`)."""

from knowledge.sample_gen.build import FILES, SAMPLE_DIR, SEED, build, generate

__all__ = ["FILES", "SAMPLE_DIR", "SEED", "build", "generate"]
