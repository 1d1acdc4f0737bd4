"""The dashboard: server-rendered pages for every role, with charts drawn as SVG."""
