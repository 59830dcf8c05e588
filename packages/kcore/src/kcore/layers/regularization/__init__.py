"""The regularization layers: Dropout."""
