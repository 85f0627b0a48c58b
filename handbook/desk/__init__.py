"""The case desk (案例编辑台, `build.py desk`): write, check and preview cases in a browser, with no terminal.

What it is: a small web application on the maintainer's machine. It lists the cases and packs with their
status, edits a case in a form generated from handbook/schema.py FIELDS (a new schema field needs no desk
change), runs the same checks as `build.py check` on the text it is about to save and shows each message
beside the field it concerns, writes the canonical Markdown file (handbook/canonical.py), keeps every
previous version, previews the case page of both editions through the incremental preview of `serve`
(handbook/preview.py) and runs the full build for publishing.

Why this and not a CMS (measured or documented reasons):
- Decap CMS (npm decap-cms) has a file-based save protocol small enough to serve, but its rich Markdown
  editor breaks Chinese input methods ("cannot type any Chinese characters normally" with Microsoft Pinyin,
  decap-cms #4837; the cursor drifts on Windows 11, #6287) and it reorders front matter on save (#5253),
  which breaks canonical files. Per-field messages from our checks would need custom React widgets.
- Sveltia CMS loads its Chinese interface from a CDN at run time: the desk must run offline.
- So: the project's own form, rendered from the schema with Jinja2 (the templates' engine already).
  The four sections and 教学说明 are plain <textarea>s: the browser's own text control composes with every
  IME (the browser tests type Chinese through CDP Input.imeSetComposition / Input.insertText).
- Starlette + uvicorn: a maintained, small ASGI framework (routing, form parsing through python-multipart,
  signed-cookie sessions through itsdangerous, static files) with no ORM or admin to disable; uvicorn is
  its reference server. Flask would do too, but Starlette's TestClient and its SessionMiddleware cover
  what the desk needs without extensions.
- htmx (partial updates: the checks and the preview as the instructor types, the publish progress) and
  SortableJS (dragging a pack's cases into order) are the only browser code besides a few lines of our
  own; both come from npm at setup (tools/desk, scripts/setup.sh --desk) and are served by the desk itself.
  Nothing is loaded from another host.
- argon2-cffi hashes the maintainer's password (Argon2id, the OWASP recommendation); the hash is kept in
  the maintainer's configuration folder, never in the project.

Nothing lost, no one let in: a save names the version of the file the form was opened on and is refused
(conflict page with both versions) when the disk has changed since; every save keeps the previous version
(a git commit when the project is a git repository, else .desk-history/, outside cases/); the browser keeps
unsaved form contents in localStorage. The desk binds 127.0.0.1 unless --host says otherwise, and then
only with a password set (`build.py desk --set-password`); every write needs the session's CSRF token; ids
are checked so that nothing outside cases/, packs/ and cases/images/ is ever read or written.
The desk writes nothing into site/ or site-instructor/ except through the publish button's full build.
"""
