//! Evidence rules (placeholder; being written).
