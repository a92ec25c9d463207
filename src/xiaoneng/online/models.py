"""The models of ``xiaoneng.online``; sub-packages keep their own and are gathered here."""
