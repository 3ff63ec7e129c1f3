"""Exports for government systems: eMENSCR (NESDC) workbooks and IATI 2.03 XML."""
