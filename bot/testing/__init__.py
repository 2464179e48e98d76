"""The test kit, shipped with the package so that people who write flows can test them:
conversation scripts, a fake clock, the Bot API emulator, a phone and the real process."""
