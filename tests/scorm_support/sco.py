"""Driving a module SCO in the browser the way a learner does: buttons, checkboxes, selects."""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import Frame, Page

BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


@dataclass
class Sco:
    """A module SCO shown in ``frame`` (the LMS iframe, or the page itself when standalone)."""

    frame: Frame
    _config: dict | None = field(default=None, repr=False)

    @classmethod
    def in_lms(cls, page: Page) -> Sco:
        handle = page.wait_for_selector("#sco")
        frame = handle.content_frame()
        frame.wait_for_selector("html.js section.page:not([hidden])")
        return cls(frame)

    @classmethod
    def standalone(cls, page: Page) -> Sco:
        page.wait_for_selector("html.js section.page:not([hidden])")
        return cls(page.main_frame)

    # -- reading ------------------------------------------------------------------------
    @property
    def config(self) -> dict:
        """The module's runtime configuration (read once: it never changes)."""
        if self._config is None:
            self._config = self.frame.evaluate("JSON.parse(document.getElementById('sco-config').textContent)")
        return self._config

    @property
    def current(self) -> int:
        return int(self.frame.get_attribute("section.page:not([hidden])", "data-page"))

    @property
    def kind(self) -> str:
        return self.config["pages"][self.current]["kind"]

    def heading(self) -> str:
        return self.frame.inner_text("section.page:not([hidden]) h1")

    def focused(self) -> str:
        """A description of the focused element: tag#id."""
        return self.frame.evaluate("document.activeElement.tagName + '#' + document.activeElement.id")

    def shown_orders(self) -> dict[str, list[int]]:
        """Per question key, the source option indices in the order the learner sees them
        (match: the right-hand answers of the first row's list)."""
        return self.frame.evaluate("""() => {
            const out = {};
            document.querySelectorAll('form[data-question]').forEach(form => {
                const select = form.querySelector('select');
                out[form.dataset.question] = select
                    ? [...select.options].slice(1).map(o => Number(o.value))
                    : [...form.querySelectorAll('[data-option]')].map(li => Number(li.dataset.option));
            });
            return out;
        }""")

    def notice(self) -> str:
        return self.frame.inner_text("[data-notice]").strip()

    # -- moving -------------------------------------------------------------------------
    def next(self) -> None:
        before = self.current
        self.frame.locator("[data-next]:visible").first.click()
        self.frame.wait_for_function(f"() => document.querySelector('section.page:not([hidden])').dataset.page !== '{before}'")

    def go(self, index: int) -> None:
        """Open page ``index`` from the table of contents (opened first on narrow screens)."""
        toggle = self.frame.locator(".toc-toggle")
        if toggle.is_visible():
            toggle.click()
        self.frame.click(f".toc a[data-goto='{index}']")
        self.frame.wait_for_selector(f"section.page[data-page='{index}']:not([hidden])")

    # -- answering ----------------------------------------------------------------------
    def question(self) -> dict:
        page = self.current
        return next(q for q in self.config["questions"] if q["page"] == page)

    def answer(self, right: bool, check: bool = True, longest: bool = False) -> str:
        """Answer the question on the current page, rightly or wrongly (``longest``: a
        multiple-choice item gets every option ticked); returns the answer in the runtime's
        encoding."""
        q = self.question()
        key, count = q["key"], q["count"]
        correct = [BASE36.index(c) for c in q["correct"]]
        if q["type"] in ("single", "truefalse"):
            pick = correct[0] if right else next(i for i in range(count) if i not in correct)
            self.frame.check(f"#o-{key}-{pick}")
            answer = BASE36[pick]
        elif q["type"] == "multiple":
            picks = (
                list(range(count))
                if longest
                else correct
                if right
                else sorted({*correct[:-1], next(i for i in range(count) if i not in correct)})
            )
            for i in picks:
                self.frame.check(f"#o-{key}-{i}")
            answer = "".join(BASE36[i] for i in sorted(picks))
        elif q["type"] == "order":
            if right:
                self.sort_order(key, count)
                answer = BASE36[:count]
            else:
                answer = self.order_now(key)
                if answer == BASE36[:count]:  # pragma: no cover (the start order is never right)
                    raise AssertionError("order item starts in the right order")
        else:  # match
            picks = list(range(count)) if right else [1, 0, *range(2, count)]
            for left, right_index in enumerate(picks):
                self.frame.select_option(f"#m-{key}-{left}", str(right_index))
            answer = "".join(BASE36[i] for i in picks)
        if check:
            self.frame.click(f"form[data-question='{key}'] [data-check]")
            self.frame.wait_for_selector(f"form[data-question='{key}'].is-locked")
        return answer

    def order_now(self, key: str) -> str:
        return self.frame.evaluate(
            f"""Array.from(document.querySelectorAll("form[data-question='{key}'] .order-item"))
                 .map(li => Number(li.dataset.option).toString(36)).join('')"""
        )

    def sort_order(self, key: str, count: int) -> None:
        """Put an order item right with its Move up buttons."""
        for target in range(count):
            position = self.order_now(key).index(BASE36[target])
            for _ in range(position - target):
                self.frame.click(f"form[data-question='{key}'] .order-item[data-option='{target}'] [data-move='-1']")
