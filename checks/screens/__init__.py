"""Executable docs: the guide's steps as data (steps.yaml), a model of LinkedIn's Developer Portal
(portal/), and the commands that check the steps and render the screenshots (capture, drift,
login, scan)."""
