import pytest

from core.errors import Refused, required_text


class StepRefused(Refused):
    pass


def test_a_required_reason_is_returned_without_surrounding_blanks():
    assert required_text("  已整改完毕。\n", "请填写整改情况。") == "已整改完毕。"


@pytest.mark.parametrize("blank", [None, "", "   ", "\n\t"])
def test_a_blank_reason_is_refused_with_the_apps_error_and_sentence(blank):
    with pytest.raises(StepRefused) as refused:
        required_text(blank, "退回时请填写理由。", error=StepRefused)
    assert refused.value.message == str(refused.value) == "退回时请填写理由。"
