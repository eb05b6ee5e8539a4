"""Link rules: every link on the portal leads somewhere that answers."""
