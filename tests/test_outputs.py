"""Every output path is claimed once: a case cannot take a generated page's place, nor can two writers share one."""
from __future__ import annotations

import pytest

from handbook.errors import OutputError
from handbook.outputs.claims import Claim, claim_problems, conflicts

from .conftest import VALID
from .test_cli import run, tree_digest


@pytest.mark.parametrize("case_id,path,owner,owner_en", [
    ("index", "cases/index.html", "案例检索页", "the case finder"),
    ("list", "cases/list/", "不用 JavaScript 的案例列表", "the list of all cases"),
    ("images", "cases/images/", "案例图片", "the case images"),
])
def test_a_case_named_like_a_generated_page_is_a_located_error(built_project, case_id, path, owner, owner_en):
    project = built_project
    before = tree_digest(project / "site")
    (project / "cases" / f"{case_id}.md").write_text(VALID, encoding="utf-8")
    for command in (["check"], ["build"]):
        out = run(project, *command)
        assert out.returncode == 1
        assert (f"cases/{case_id}.md:1: error: 案例编号“{case_id}”与自动生成的页面冲突：{path} 已用于{owner}，"
                f"请给文件换一个名字 (case id '{case_id}' collides with a generated page: {path} is {owner_en}; "
                f"rename the file)") in out.stderr.splitlines()
    assert tree_digest(project / "site") == before


def test_two_writers_on_one_path_name_both():
    claims = [Claim("handbook.pdf", "PDF 手册", "the PDF handbook"), Claim("handbook.pdf", "讲义", "a handout")]
    with pytest.raises(OutputError, match="the PDF handbook and a handout"):
        claim_problems(claims)


def test_a_folder_claim_covers_what_is_inside_it():
    folder = Claim("assets/", "样式", "assets")
    inside = Claim("assets/x.css", "别的", "other")
    same_owner = Claim("assets/y.css", "样式", "assets")
    assert conflicts([folder, inside, same_owner]) == [(folder, inside)]
