"""What the preview page shows of a failed save: a banner with the located messages, gone when fixed.

`serve` keeps showing the last good site when a save has errors (it must not go blank
while someone types), so without this the browser gave no sign that the page was stale
and the messages were only in the terminal. Each page of the preview gets a small
script: it asks the server for its status every 300 ms (the build id and the last
failed check's `path:line:` lines), reloads when a new build is ready and otherwise
shows or hides the banner. The messages are put in with textContent, never as HTML:
they quote the case files, which are untrusted.
"""
from __future__ import annotations

import json

STATUS_PATH = "/__status"

SCRIPT = ("""<script>(function(){var id=null,box=null;function show(lines){if(!lines.length){if(box){box.remove();box=null}
return}if(!box){box=document.createElement('div');box.id='hb-preview-errors';box.setAttribute('role','alert');
box.style.cssText='position:fixed;left:0;right:0;bottom:0;z-index:1000;max-height:45vh;overflow:auto;margin:0;'+
'padding:.8em 1em;background:#fff3f3;color:#8b0000;border-top:3px solid #c62828;font:14px/1.5 monospace;'+
'white-space:pre-wrap';document.body.appendChild(box)}
box.textContent='内容有错误，下面是上一次保存时的问题；改好并保存后，这里会自动消失（页面仍是上一次成功生成的）：\\n'+lines.join('\\n')}
function poll(){fetch('""" + STATUS_PATH + """',{cache:'no-store'}).then(function(r){return r.json()}).then(function(s){
if(id===null)id=s.id;else if(s.id!==id){location.reload();return}show(s.problems)}).catch(function(){})}
poll();setInterval(poll,300)})();</script>""").replace("\n", "").encode()


def status_body(build_id: int, problems: list[str]) -> bytes:
    return json.dumps({"id": build_id, "problems": problems}, ensure_ascii=False).encode()
