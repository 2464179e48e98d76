"""One scheduler for the process, independent of any channel: it only wakes sweeps; what is due
lives in the database, so a sweep run twice (or by two processes) does nothing twice."""
