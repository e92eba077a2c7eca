"""The counting engine and Pabulib files: pure, exact, importable without the web app or a database.

`pb tally`, the benchmarks and the app's results all count with `pb.counting.engine.count`.
"""
