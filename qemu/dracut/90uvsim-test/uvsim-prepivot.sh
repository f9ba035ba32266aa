#!/bin/sh
# pre-pivot hook, before uvsecret's cleanup (test only): keep the binary for a rerun in the
# booted system.
if getargbool 0 uvtest.rerun; then
    mkdir -p /run/uvtest
    cp /usr/sbin/uvsecret-early /run/uvtest/uvsecret-early
fi
