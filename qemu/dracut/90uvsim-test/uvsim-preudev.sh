#!/bin/sh
# pre-udev hook (no systemd): start the simulator before anything else runs.
/usr/lib/uvsim/uvsim-start.sh
