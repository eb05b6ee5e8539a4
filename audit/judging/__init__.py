"""Judging: run the rules on a snapshot, then decide what the findings mean — each rule's verdict on
each column, the responsible unit, the score and its result text, stable fingerprints and the change
since the run before. Reports only format what this decides."""
