"""The models of ``xiaoneng.keywords``; sub-packages keep their own and are gathered here."""
