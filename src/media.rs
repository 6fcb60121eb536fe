//! Media storage (placeholder; being written).
