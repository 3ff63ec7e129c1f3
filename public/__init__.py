"""Pages anyone can read without signing in, open-data downloads and the DCAT/CKAN catalogue."""
