"""The commands: the command line, the preview server, scaffolding of new files.

The top of the pipeline: they parse arguments, call pipeline.check/build, print
located messages and set the exit code. Nothing imports from here.
"""
