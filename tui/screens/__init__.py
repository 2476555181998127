"""The console's screens: the main console and the modal dialogues it opens."""
