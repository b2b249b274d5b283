"""One router per resource; `pickvs.api.main` includes them all."""
