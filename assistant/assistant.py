"""Assistant: the loaded pipeline behind the CLI, the web UI and the eval harness."""

from __future__ import annotations

from .answer import Answer
from .compose import Composer
from .guard import prepare
from .settings import Settings


def load_intent_model(settings: Settings):
    """The learned intent model, trained on the intents' examples and the eval's dev split (None without them)."""
    from .intent_model import IntentModel, training_rows
    from .intents import INTENTS

    questions = settings.corpus_dir.parent / "eval" / "questions.jsonl"
    if not questions.exists():
        return None
    return IntentModel.load_or_train(training_rows(questions, INTENTS), settings.cache_dir)


class Assistant:
    """Answers questions about the corpus; build it with ``Assistant.load(settings)``."""

    def __init__(self, composer: Composer):
        self.composer = composer

    @property
    def corpus(self):
        return self.composer.corpus

    @classmethod
    def load(cls, settings: Settings, progress: bool = False, report=None) -> Assistant:
        """Load the model and the index, building the index first if it is missing or stale.

        ``report`` (a callable taking one line) is told of index problems as they are met.
        """
        from .embed import load_embedder
        from .retrieve import Retriever
        from .store import ensure_index

        embedder = load_embedder(settings.model, settings.cache_dir)
        index = ensure_index(settings.corpus_dir, settings.index_dir, embedder, progress=progress, report=report)
        return cls(Composer(index.corpus, Retriever(index, embedder), intent_model=load_intent_model(settings)))

    def ask(self, question: str, history: list[str] | None = None, year: int | None = None) -> Answer:
        """Answer one question; ``history`` is the user's earlier questions in this chat.

        The question and history pass the input guard first (no lone surrogates or markup, capped length).
        """
        question, history = prepare(question, history)
        return self.composer.answer(question, history=history, year=year)
