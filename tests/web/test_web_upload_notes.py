"""The upload preview says how the file was read (issue 20): the sheet, the header row, the
total rows skipped, in the page's language."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from jobhelp import post_upload

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def test_the_preview_lists_the_total_row_it_skipped(client, world):
    client.force_login(world.users["district"])
    content = "项目编号,月份,完成投资（万元）\nP1,2023-08,500\n合计,,500\n".encode("gb18030")
    response = post_upload(client, {"kind": "progress", "file": SimpleUploadedFile("p.csv", content)})
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="import-notes"' in page and 'id="confirm-import"' in page
    assert "第3行是合计行（合计），已跳过：合计由系统计算，不导入" in page
