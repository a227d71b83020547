"""The real-name roster (实名制台账) as a file: read an upload, write the template and an export."""
