"""Knowledge: record schemas, the bundled sample corpus, embeddings, stores and ingest."""
