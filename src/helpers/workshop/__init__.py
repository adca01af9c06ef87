"""The workshop track: self-checks with teaching feedback (`feedback`), one module of checks per lesson
(`w1` ...), and the learner and instructor copies generated from the solved lessons (`copies`).

The top layer beside `report`: lessons may use every layer below.
"""
