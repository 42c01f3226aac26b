"""Calibration of the answer confidence threshold (`search.answer.CONFIDENCE_THRESHOLD`).

`yingshang calibrate` asks every labelled question with no threshold, then picks the score
that best separates answers containing the expected text from the rest and from questions
the corpus cannot answer; it prints that value next to the recorded one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bench.evaluate import is_answered
from search.answer import CONFIDENCE_THRESHOLD, Answerer

# Questions the five seed documents cannot answer, used as negatives for calibration: off-topic
# ones, then business-environment questions about places the seed documents never mention.
CALIBRATION_NEGATIVES = (
    "月球表面的重力加速度是多少？",
    "红烧肉怎么做才好吃？",
    "2022年世界杯冠军是哪个国家？",
    "光合作用需要哪些条件？",
    "Python怎么读取一个CSV文件？",
    "长江全长多少公里？",
    "感冒发烧应该吃什么药？",
    "量子计算机的工作原理是什么？",
    "高考数学满分是多少分？",
    "如何训练小狗定点上厕所？",
    "珠穆朗玛峰有多高？",
    "新能源汽车电池一般能用几年？",
    "海南自由贸易港的企业所得税优惠税率是多少？",
    "上海浦东新区“一业一证”改革覆盖了多少个行业？",
    "新疆哈密市企业开办需要几个工作日？",
    "黑龙江哈尔滨如何扶持冰雪旅游企业？",
    "青海省不动产登记办理时间压缩到了几天？",
    "个人所得税年度汇算的截止日期是哪天？",
    "厦门市怎样推行跨境电商通关改革？",
    "青岛港集装箱进口整体通关时间是多少小时？",
    "昆明市的政务服务热线一年接了多少通电话？",
    "沈阳市推进工程建设项目审批改革由哪个部门牵头？",
    "大连市营商环境条例什么时候开始施行？",
    "拉萨市对小微企业减免了多少房租？",
)


def calibrate_threshold(scores: Sequence[float], answered: Sequence[bool]) -> float:
    """The threshold that best separates answered (True) from unanswered questions.

    Maximises Youden's J (true-positive rate − false-positive rate) over thresholds placed
    midway between neighbouring distinct scores; ties go to the lower threshold (answering
    is the default). With only one class present, returns just below the lowest positive
    score (or just above the highest negative one).
    """
    pairs = sorted(zip((float(s) for s in scores), (bool(a) for a in answered), strict=True))
    if not pairs:
        raise ValueError("no calibration data")
    pos = sum(1 for _, a in pairs if a)
    neg = len(pairs) - pos
    if pos == 0:
        return pairs[-1][0] + 1e-6
    if neg == 0:
        return pairs[0][0] - 1e-6
    values = sorted({s for s, _ in pairs})
    cuts = [values[0] - 1e-6] + [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)]
    best_cut, best_j = cuts[0], -2.0
    for cut in cuts:
        tpr = sum(1 for s, a in pairs if a and s >= cut) / pos
        fpr = sum(1 for s, a in pairs if not a and s >= cut) / neg
        if tpr - fpr > best_j + 1e-12:
            best_cut, best_j = cut, tpr - fpr
    return best_cut


def calibration_data(
    answerer: Answerer, queries: Sequence[dict], negatives: Sequence[str] = CALIBRATION_NEGATIVES
) -> list[tuple[float, bool]]:
    """(confidence score, answered) per question whose confidence the threshold decides.

    Answers with no threshold. `queries` are rows of the eval format; those with an `answer`
    are answered when the answer text contains it (`bench.evaluate.is_answered`), and every
    question of `negatives` is unanswered. Questions that are not confident even without a
    threshold (a place the sources never mention) are left out: the threshold cannot change
    them. Feed the result to `calibrate_threshold`.
    """
    labelled = [(q["query"], q["answer"]) for q in queries if q.get("answer")]
    labelled += [(question, None) for question in negatives]
    saved = answerer.threshold
    answerer.threshold = float("-inf")
    try:
        rows = []
        for question, expected in labelled:
            a = answerer.ask(question)
            if a.confident:
                rows.append((a.score, bool(expected) and is_answered(a.text, expected)))
        return rows
    finally:
        answerer.threshold = saved


def youden_j(rows: Sequence[tuple[float, bool]], threshold: float) -> float:
    """True-positive rate minus false-positive rate of `threshold` on (score, answered) rows."""
    pos = [s for s, a in rows if a]
    neg = [s for s, a in rows if not a]
    if not pos or not neg:
        raise ValueError("calibration needs answered and unanswered questions")
    return sum(s >= threshold for s in pos) / len(pos) - sum(s >= threshold for s in neg) / len(neg)


@dataclass(frozen=True)
class Calibration:
    """The calibrated threshold next to the recorded one, and the data behind both."""

    threshold: float
    j: float
    recorded: float
    recorded_j: float
    answered: int
    unanswered: int


def calibrate(answerer: Answerer, queries: Sequence[dict]) -> Calibration:
    """Calibrate on `queries` (eval rows with an `answer`) plus `CALIBRATION_NEGATIVES`."""
    rows = calibration_data(answerer, queries)
    best = calibrate_threshold([s for s, _ in rows], [a for _, a in rows])
    return Calibration(
        threshold=best,
        j=youden_j(rows, best),
        recorded=CONFIDENCE_THRESHOLD,
        recorded_j=youden_j(rows, CONFIDENCE_THRESHOLD),
        answered=sum(a for _, a in rows),
        unanswered=sum(not a for _, a in rows),
    )
