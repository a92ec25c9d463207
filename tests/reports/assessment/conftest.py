from tests.reports.assessment.fake import fake_catalogue

__all__ = ["fake_catalogue"]
