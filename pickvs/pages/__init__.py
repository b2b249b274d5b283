"""Reflex pages: layout only. Data comes from `pickvs.state`, rules from `pickvs.services`."""
