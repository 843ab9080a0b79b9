"""Support for the SCORM tests: a local web server, a test LMS (scorm-again), browser helpers."""
