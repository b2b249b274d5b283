"""PickVs: a self-hostable sports pick'em for friend groups."""
