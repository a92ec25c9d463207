"""The text-scanning engine of the keyword feature library: pure Python, no Django."""
