"""column.empty: a found column must list something, counting its sub-columns."""


def test_fires_when_every_sector_sub_column_is_empty(column_audit):
    [finding] = column_audit.of("column.empty")
    assert finding["column"] == "ggqsy"
    assert finding["url"] == column_audit.base_url + "xxgk/ggqsy/"
    assert "空白栏目" in finding["message"]
    assert "暂无信息" in finding["evidence"]


def test_quiet_when_one_tree_node_is_empty_but_another_lists_items(column_audit):
    assert "jbml" not in {f["column"] for f in column_audit.of("column.empty")}


def test_quiet_for_a_column_that_was_not_found(column_audit):
    # xzxk is too deep (column.missing); it is not also reported empty.
    assert "xzxk" not in {f["column"] for f in column_audit.of("column.empty")}


def test_quiet_when_the_list_sits_in_an_iframe(tmp_path):
    from portal_kit import audit_pages, list_page, page

    pages = {
        "/index.html": page("首页", '<a href="/xxgk/gfxwj/">规范性文件</a>'),
        "/xxgk/gfxwj/": page("规范性文件", '<iframe src="/xxgk/gfxwj/list.html" width="100%"></iframe>'),
        "/xxgk/gfxwj/list.html": list_page(
            "规范性文件",
            [
                ("测试县城市道路管理办法", "/xxgk/gfxwj/1001.html", "2022-09-20"),
                ("测试县农村集体资产管理办法", "/xxgk/gfxwj/1002.html", "2022-08-02"),
            ],
        ),
    }
    result = audit_pages(tmp_path, pages, "--column", "gfxwj")
    assert result.of("column.empty") == [] and result.of("column.stale") == []
    assert "条目 2" in result.stdout and "最新 2022-09-20" in result.stdout


def _side_box_portal(column_body: str) -> dict[str, str]:
    from portal_kit import page

    side = (
        '<div class="left"><h3>最新信息</h3><ul class="list">'
        + "".join(
            f'<li><a href="/zwdt/{i}.html">测试县关于做好第{i}项重点工作的通知</a><span>2022-10-0{i}</span></li>'
            for i in range(1, 6)
        )
        + "</ul></div>"
    )
    pages = {
        "/index.html": page("首页", '<a href="/xxgk/gfxwj/">规范性文件</a>'),
        "/xxgk/gfxwj/": page("规范性文件", f'{side}<div class="right"><h2>规范性文件</h2>{column_body}</div>'),
    }
    pages.update({f"/zwdt/{i}.html": page(f"通知{i}", "<p>通知内容。</p>") for i in range(1, 6)})
    return pages


def test_fires_for_a_blank_column_beside_a_fresh_side_box(tmp_path):
    from portal_kit import audit_pages

    result = audit_pages(tmp_path, _side_box_portal('<div class="list">暂无信息</div>'), "--column", "gfxwj")
    [finding] = result.of("column.empty")
    assert finding["column"] == "gfxwj" and "暂无信息" in finding["evidence"]
    assert "条目 0" in result.stdout


def test_fires_stale_for_an_old_list_beside_a_fresh_side_box(tmp_path):
    from portal_kit import audit_pages, doc_page

    rows = "".join(
        f'<li><a href="/xxgk/gfxwj/{i}.html">测试县第{i}号规范性文件管理办法</a><span>2019-03-0{i}</span></li>'
        for i in range(1, 4)
    )
    pages = _side_box_portal(f'<ul class="list">{rows}</ul>')
    pages.update(
        {
            f"/xxgk/gfxwj/{i}.html": doc_page(
                f"测试县第{i}号规范性文件管理办法", published=f"2019-03-0{i}", label_line="（此件公开发布）"
            )
            for i in range(1, 4)
        }
    )
    result = audit_pages(tmp_path, pages, "--column", "gfxwj")
    assert result.of("column.empty") == []
    [stale] = result.of("column.stale")
    assert stale["column"] == "gfxwj" and "2019-03-03" in stale["message"] + stale["evidence"]
    assert "最新 2019-03-03" in result.stdout
