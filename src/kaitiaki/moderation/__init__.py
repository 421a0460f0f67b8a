"""Comment moderation: import and check comments, the per-channel queue, actions with the pack's
reasons, delegates, and the figures the transparency statement publishes."""
