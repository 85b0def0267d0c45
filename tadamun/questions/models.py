"""Custom questions an organiser adds to a petition, an event's RSVP form or a letter campaign,
and the answers people give. One family of models serves the three kinds of action: a question
belongs to exactly one of them, an answer to one signature, RSVP or letter."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tadamun.coalition.action_target import ACTION_FIELDS, OfOneAction, exactly_one_action, one_of
from tadamun.core.crypto import EncryptedTextField
from tadamun.core.models import Translatable, TranslatableQuerySet, Translation
from tadamun.core.text import validate_plain_text

# What an answer is given with, by the kind of action its question belongs to.
ACTIONS = {"petition": "signature", "event": "rsvp", "letter_campaign": "letter"}


class QuestionQuerySet(TranslatableQuerySet):
    def in_order(self):
        return self.order_by("position", "pk")


class Question(OfOneAction, Translatable):
    """`title` is the question's label, `summary` its help text, `options` the choices of a
    choice question, one per line (a translation lists them in the same order)."""

    text_fields = ("title", "summary", "options")

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("Choice")
        YES_NO = "yes_no", _("Yes or no")
        POSTAL_CODE = "postal_code", _("Postal code")
        PHONE = "phone", _("Phone number")

    key = models.SlugField(
        _("key"),
        max_length=40,
        help_text=_("Its name in exports and in the API's custom fields, e.g. postal_code."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    options = models.TextField(
        _("options"),
        blank=True,
        max_length=2000,
        validators=[validate_plain_text],
        help_text=_("For a choice question: one option per line."),
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("custom question")
        verbose_name_plural = _("custom questions")
        ordering = ["position", "pk"]
        constraints = [
            exactly_one_action("question_of_one_action"),
            *(
                models.UniqueConstraint(
                    fields=[owner, "key"],
                    condition=Q(**{f"{owner}__isnull": False}),
                    name=f"question_key_once_per_{owner}",
                )
                for owner in ACTION_FIELDS
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.kind == self.Kind.CHOICE and len(lines(self.options)) < 2:
            raise ValidationError(
                {"options": _("A choice question needs at least two options, one per line.")}
            )

    def option_list(self, language: str | None = None) -> list[str]:
        """The options in `language` (the source's where a translation lacks one)."""
        source = lines(self.options)
        if language is None:
            return source
        shown = lines(self.localized(language).options)
        return [shown[i] if i < len(shown) else text for i, text in enumerate(source)]


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionTranslation(Translation):
    source_field = "question"

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="translations", verbose_name=_("question")
    )
    options = models.TextField(
        _("options"), blank=True, max_length=2000, validators=[validate_plain_text]
    )

    def clean(self):
        super().clean()
        if self.question_id is None:
            return  # the form says the question is missing
        source, translated = lines(self.question.options), lines(self.options)
        if (
            self.question.kind == Question.Kind.CHOICE
            and translated
            and (len(translated) != len(source))
        ):
            raise ValidationError(
                {"options": _("Translate every option, one per line, in the order of the source.")}
            )

    class Meta:
        verbose_name = _("question translation")
        verbose_name_plural = _("question translations")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "language"], name="one_question_translation_per_language"
            )
        ]


class Answer(models.Model):
    """What one person answered to one question, with their signature, RSVP or letter."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    supporter = models.ForeignKey(
        "supporters.Supporter",
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("supporter"),
    )
    signature = models.ForeignKey(
        "petitions.Signature", null=True, on_delete=models.CASCADE, related_name="answers"
    )
    rsvp = models.ForeignKey(
        "events.Rsvp", null=True, on_delete=models.CASCADE, related_name="answers"
    )
    letter = models.ForeignKey(
        "letters.Letter", null=True, on_delete=models.CASCADE, related_name="answers"
    )
    value = EncryptedTextField(_("answer"))
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(condition=one_of(ACTIONS.values()), name="answer_of_one_action"),
            *(
                models.UniqueConstraint(
                    fields=["question", action],
                    condition=Q(**{f"{action}__isnull": False}),
                    name=f"one_answer_per_{action}",
                )
                for action in ACTIONS.values()
            ),
        ]

    def __str__(self):
        return f"{self.question_id} #{self.pk}"
