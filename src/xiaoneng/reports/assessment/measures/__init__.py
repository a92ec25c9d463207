"""The indicators' measures, one module per family; each registers its indicators in
``xiaoneng.reports.assessment.catalogue`` when imported (``catalogue.load``)."""
