"""Reports for managers: the register, moderation and complaints as pages with charts and CSV."""
