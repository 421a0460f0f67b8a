"""Complaints about the agency's use of social media: the public form, staff entry, routing to
the channel's business owner, escalation of serious ones to the ELT member the pack names,
working-day timers and in-app and email notices."""
