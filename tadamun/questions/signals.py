"""A change to a petition's questions changes its sign form: the kept renderings of its page
and the petition kept for the sign form (petitions.queries) are dropped at once."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tadamun.questions.models import Question, QuestionTranslation


def _forget(question: Question) -> None:
    if question.petition_id is None:
        return
    from tadamun.petitions.queries import forget_petition  # petitions imports this app

    petition_id = question.petition_id
    transaction.on_commit(lambda: forget_petition(petition_id))


@receiver([post_save, post_delete], sender=Question)
def question_changed(sender, instance, **kwargs):
    _forget(instance)


@receiver([post_save, post_delete], sender=QuestionTranslation)
def translation_changed(sender, instance, **kwargs):
    question = Question.objects.filter(pk=instance.question_id).first()
    if question is not None:
        _forget(question)
