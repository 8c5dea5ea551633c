"""The runtime shell: settings, command line, channels and scheduler."""
