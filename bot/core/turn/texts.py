"""Texts of the engine itself (flows carry their own), in French: the reference language."""

from __future__ import annotations

from bot.core.i18n import N_

# Texts of the engine itself; flows carry their own.
T_STALE = N_("Ce bouton ne marche plus. Voici la question en cours.")
T_MEDIA = N_(
    "Je ne peux pas lire les photos, les sons ou les autocollants. "
    "Écrivez votre réponse avec le clavier, s'il vous plaît."
)
T_UNKNOWN_COMMAND = N_(
    "Je ne connais pas cette commande. Vous pouvez écrire /menu, /help, /language ou /stop."
)
T_CHOOSE = N_("Je n'ai pas compris. Choisissez une réponse avec les boutons, s'il vous plaît.")
T_FIRST = N_("Vous êtes déjà à la première question.")
T_MENU_HINT = N_("Choisissez dans le menu avec les boutons, s'il vous plaît.")
T_RESUME = N_("On reprend là où vous en étiez.")
T_HELP = N_(
    "Je suis Relais. Je vous aide à chercher du travail avec les bénévoles de votre centre.\n"
    "Répondez avec les boutons, ou en écrivant.\n"
    "/menu : voir le menu\n"
    "/help : de l'aide sur la question\n"
    "/language : changer de langue\n"
    "/stop : ne plus recevoir de messages"
)
T_STOPPED = N_("D'accord. Relais ne vous enverra plus de messages. Pour revenir, écrivez /start.")
T_SAVED = N_("C'est enregistré.")
T_NOT_CHANGED = N_("D'accord, rien n'a changé.")
T_NOT_SENT = N_("D'accord, rien n'est envoyé.")
T_KEPT_SO_FAR = N_("D'accord. Ce que vous avez déjà écrit est enregistré.")
T_DELETED = N_("C'est supprimé.")
T_CHANGED_MEANWHILE = N_(
    "Ce CV vient d'être changé par quelqu'un d'autre : la correction en cours est annulée. "
    "Voici ce qu'il dit maintenant."
)
T_LIST_FULL = N_(
    "Vous en avez déjà {n} : c'est le maximum. Supprimez-en un pour en ajouter un autre."
)
T_CV_PDF = N_("Voici votre CV, en français.")
T_MY_DATA_TXT = N_("Voici tout ce que Relais garde sur vous, dans un fichier à lire.")
T_MY_DATA_JSON = N_(
    "Et les mêmes données au format JSON, pour les donner à un autre service si vous le voulez."
)
T_NOTICE_CHANGED = N_(
    "Ce que je fais de vos informations a changé. Lisez, s'il vous plaît, puis dites-moi si vous "
    "êtes d'accord."
)
T_RECONSENTED = N_("Merci ! On continue.")
# an answer the CV shows, clearly not in French: kept as written, listed for the volunteer
T_NOT_FRENCH = N_(
    "C'est noté. Ce n'est pas en français : ce n'est pas grave, un bénévole vous aidera "
    "à le mettre en français pour le CV."
)
T_NOT_FRENCH_BACK = N_(
    "Vous pouvez aussi l'écrire vous-même en français : appuyez sur « ↩ Retour »."
)
T_NOT_FRENCH_AGAIN = N_("Pas en français : c'est noté pour le bénévole.")
DOCUMENT_TEXTS = {
    "cv_pdf": T_CV_PDF,
    "my_data_txt": T_MY_DATA_TXT,
    "my_data_json": T_MY_DATA_JSON,
}
MAX_INPUT = 4096  # longer text is cut before parsing: no answer type accepts more
