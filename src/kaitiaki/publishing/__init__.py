"""Publishing: authorised posters compose posts, replies and interactions for a channel, check
them against the pack, acknowledge warnings, ask for exceptions, submit and record publication."""
