"""The keyword feature library (关键词特征库, 篇1, 篇6): its rules kept in the database,
versioned and traced, compiled into the pure ``xiaoneng.textscan`` engine; scanning of ads and
listings through the CLI (``xiaoneng scan``) and the API."""
