"""Use cases over a Session. Every caller (pages' state, API routes, jobs, CLI) goes through here."""
