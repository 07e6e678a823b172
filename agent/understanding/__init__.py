"""The data-driven intent layer: a labelled utterance corpus, a classifier trained on it, and the
reading of one message (jobs, confidence, the clarifying question when unsure). See docs/understanding.md."""
