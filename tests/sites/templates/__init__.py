"""County portal templates modelled on real platform markup (see README.md beside this file), each
with seeded problems and traps, served on 127.0.0.1 and audited by the real CLI."""
