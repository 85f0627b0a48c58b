"""What every writer stands on: path claims and the atomic swap, the Writer base,
scratch space, Markdown/Jinja rendering and page addresses.

Below every writer and above the Library: a writer imports from here, never from
a sibling writer's package, so a new output format is one small file on this base.
"""
