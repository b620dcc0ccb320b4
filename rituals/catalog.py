"""The one message catalog: every word a person reads, in English and Dutch side by side."""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import date, time
from typing import Any

DEFAULT_LOCALE = "en"
LOCALES = ("en", "nl")

# key: (English, Dutch). Placeholders use str.format; examples in errors are commands that work as typed.
_MESSAGES: dict[str, tuple[str, str]] = {
    # Errors: each names the problem and shows a correct example.
    "error.too_long": (
        "That command is {length} characters long; the limit is {limit}. Shorter works, for example "
        "`/ritme standup create at 09:30`.",
        "Dat commando is {length} tekens lang; de grens is {limit}. Korter werkt, bijvoorbeeld "
        "`/ritme standup create at 09:30`.",
    ),
    # Abuse limits (rituals/limits.py): said once per wait; commands sent before then get no reply at all.
    "limits.member": (
        "Slow down: you sent {limit} commands in the last minute, the most one person may send. Try again in "
        "{seconds} seconds, one command at a time, for example `/ritme help`. Until then I ignore your commands "
        "without replying.",
        "Rustig aan: je stuurde {limit} commando's in de afgelopen minuut, het meeste dat één persoon mag sturen. "
        "Probeer het over {seconds} seconden opnieuw, één commando tegelijk, bijvoorbeeld `/ritme help`. Tot dan "
        "negeer ik je commando's zonder te antwoorden.",
    ),
    "limits.presses": (
        "Slow down: you pressed buttons or sent answers {limit} times in the last minute, the most one person may. "
        "Try again in {seconds} seconds. Until then I ignore your presses without replying.",
        "Rustig aan: je drukte in de afgelopen minuut {limit} keer op een knop of stuurde een antwoord, het meeste dat "
        "één persoon mag. Probeer het over {seconds} seconden opnieuw. Tot dan negeer ik je klikken zonder te "
        "antwoorden.",
    ),
    "limits.team": (
        "Slow down: this channel sent {limit} commands in the last minute, the most one team may send. Try again in "
        "{seconds} seconds, for example `/ritme help`. Until then I ignore your commands without replying.",
        "Rustig aan: dit kanaal stuurde {limit} commando's in de afgelopen minuut, het meeste dat één team mag "
        "sturen. Probeer het over {seconds} seconden opnieuw, bijvoorbeeld `/ritme help`. Tot dan negeer ik je "
        "commando's zonder te antwoorden.",
    ),
    "error.unknown_command": (
        "I don't know `{word}`. Try `/ritme help`, or for example `/ritme standup list`.",
        "`{word}` ken ik niet. Probeer `/ritme help`, of bijvoorbeeld `/ritme standup list`.",
    ),
    "error.unknown_subcommand": (
        "`{area} {word}` is not something I know. Try for example `{example}`, or see `/ritme {area} help`.",
        "`{area} {word}` ken ik niet. Probeer bijvoorbeeld `{example}`, of zie `/ritme {area} help`.",
    ),
    "error.repeated_option": (
        "`{option}` is given twice; give each option once, for example "
        "`/ritme standup create at 09:30 on mon-fri digest 11:00`.",
        "`{option}` staat er twee keer; geef elke optie één keer, bijvoorbeeld "
        "`/ritme standup create at 09:30 on mon-fri digest 11:00`.",
    ),
    "error.after_questions": (
        "Put `questions` last: `{rest}` came after the questions. For example "
        '`/ritme standup create at 09:30 questions "How are you?" | "Anything blocking you?"`.',
        "Zet `questions` achteraan: `{rest}` stond na de vragen. Bijvoorbeeld "
        '`/ritme standup create at 09:30 questions "Hoe gaat het?" | "Zit je ergens mee vast?"`.',
    ),
    "error.ritual_id": (
        "`{value}` is not a stand-up number. Use a number from `/ritme standup list`, for example "
        "`/ritme standup {verb} 1`.",
        "`{value}` is geen stand-upnummer. Gebruik een nummer uit `/ritme standup list`, bijvoorbeeld "
        "`/ritme standup {verb} 1`.",
    ),
    "error.unknown_option": (
        "I don't know the option `{word}`. The options are at, on, digest, remind, zone and questions, for "
        "example `/ritme standup create at 09:30 on mon-fri digest 11:00`.",
        "De optie `{word}` ken ik niet. De opties zijn at, on, digest, remind, zone en questions, bijvoorbeeld "
        "`/ritme standup create at 09:30 on mon-fri digest 11:00`.",
    ),
    "error.missing_value": (
        "`{option}` needs a value, for example `/ritme standup create at 09:30 on mon-fri`.",
        "`{option}` heeft een waarde nodig, bijvoorbeeld `/ritme standup create at 09:30 on mon-fri`.",
    ),
    "error.time": (
        "`{value}` is not a time. Use 24-hour HH:MM, for example `{example}`.",
        "`{value}` is geen tijd. Gebruik 24-uurs UU:MM, bijvoorbeeld `{example}`.",
    ),
    "error.hours": (
        "`{value}` is not a range of working hours. Use start-end, for example `/ritme me hours 08:30-17:00`.",
        "`{value}` zijn geen werktijden. Gebruik begin-eind, bijvoorbeeld `/ritme me hours 08:30-17:00`.",
    ),
    "error.hours_order": (
        "In `{value}` the end is not after the start. For example `/ritme me hours 08:30-17:00`.",
        "In `{value}` ligt het eind niet na het begin. Bijvoorbeeld `/ritme me hours 08:30-17:00`.",
    ),
    "error.days": (
        "`{value}` is not a set of days. Use a range or a list, for example `{example}`.",
        "`{value}` is geen reeks dagen. Gebruik een bereik of een lijst, bijvoorbeeld `{example}`.",
    ),
    "error.zone": (
        "`{value}` is not a time zone I know. Use an IANA name, for example `{example}`.",
        "`{value}` is geen tijdzone die ik ken. Gebruik een IANA-naam, bijvoorbeeld `{example}`.",
    ),
    "error.duration": (
        "`{value}` is not a reminder delay. Use 5m to 12h, or off, for example `remind 1h`.",
        "`{value}` is geen wachttijd voor een herinnering. Gebruik 5m tot 12h, of off, bijvoorbeeld "
        "`remind 1h`.",
    ),
    "error.date": (
        "`{value}` is not a date. Use YYYY-MM-DD, for example `/ritme me away until {example}`.",
        "`{value}` is geen datum. Gebruik JJJJ-MM-DD, bijvoorbeeld `/ritme me away until {example}`.",
    ),
    "error.date_past": (
        "`{value}` has already passed. Give today or a later date, for example `/ritme me away until {example}`.",
        "`{value}` is al voorbij. Geef vandaag of een latere datum, bijvoorbeeld "
        "`/ritme me away until {example}`.",
    ),
    "error.away": (
        "Say until when you are away, for example `/ritme me away until {example}`, or `/ritme me away off` "
        "when you are back.",
        "Zeg tot wanneer je weg bent, bijvoorbeeld `/ritme me away until {example}`, of `/ritme me away off` "
        "als je terug bent.",
    ),
    "error.language": (
        "`{value}` is not a language I speak. Choose en or nl, for example `/ritme me language nl`.",
        "`{value}` is geen taal die ik spreek. Kies en of nl, bijvoorbeeld `/ritme me language en`.",
    ),
    "error.manager_who": (
        "Who should become a manager? For example `/ritme manager add Sam`.",
        "Wie moet manager worden? Bijvoorbeeld `/ritme manager add Sam`.",
    ),
    "error.name_long": (
        "A name of {length} characters is longer than any member's; the limit is {limit}. For example `{example}`.",
        "Een naam van {length} tekens is langer dan die van enig lid; de grens is {limit}. Bijvoorbeeld "
        "`{example}`.",
    ),
    "error.invisible_character": (
        "Your text holds an invisible control character ({code}) that could hide or reorder what others read, so "
        "nothing was changed. Type it again as plain text, for example `{example}`.",
        "Je tekst bevat een onzichtbaar stuurteken ({code}) dat kan verbergen of omdraaien wat anderen lezen, dus "
        "er is niets gewijzigd. Typ het opnieuw als gewone tekst, bijvoorbeeld `{example}`.",
    ),
    "error.field_long": (
        "That is {length} characters; this field takes at most {limit}, so nothing was changed. For example "
        "`{example}`.",
        "Dat zijn {length} tekens; dit veld neemt er hooguit {limit}, dus er is niets gewijzigd. Bijvoorbeeld "
        "`{example}`.",
    ),
    "error.answer_invisible": (
        "Your answer holds an invisible control character ({code}), so nothing was saved. Type it again as plain "
        "text, for example `Busy week, but a good one.`; line breaks are fine.",
        "Je antwoord bevat een onzichtbaar stuurteken ({code}), dus er is niets opgeslagen. Typ het opnieuw als "
        "gewone tekst, bijvoorbeeld `Drukke week, maar een goede.`; regelovergangen mogen.",
    ),
    "error.questions_empty": (
        'The question list is empty. Separate questions with |, for example '
        '`questions "How are you?" | "What is your focus today?"`.',
        'De vragenlijst is leeg. Scheid vragen met |, bijvoorbeeld '
        '`questions "Hoe gaat het?" | "Waar werk je vandaag aan?"`.',
    ),
    "error.question_blank": (
        'One of the questions is blank. Put text between every |, for example `questions "How are you?" | '
        '"Anything blocking you?"`.',
        'Een van de vragen is leeg. Zet tekst tussen elke |, bijvoorbeeld `questions "Hoe gaat het?" | '
        '"Zit je ergens mee vast?"`.',
    ),
    "error.questions_many": (
        "That is {count} questions; a stand-up keeps it short with at most {limit}. For example "
        '`questions "How are you?" | "What is your focus today?"`.',
        "Dat zijn {count} vragen; een stand-up blijft kort met hooguit {limit}. Bijvoorbeeld "
        '`questions "Hoe gaat het?" | "Waar werk je vandaag aan?"`.',
    ),
    "error.question_long": (
        "A question of {length} characters is too long; the limit is {limit}. For example "
        '`questions "What is your focus today?"`.',
        "Een vraag van {length} tekens is te lang; de grens is {limit}. Bijvoorbeeld "
        '`questions "Waar werk je vandaag aan?"`.',
    ),
    "error.not_manager": (
        "Only a manager of #{team} can do that; nothing was changed. Ask {managers}, or see what you can do "
        "with `/ritme me help`.",
        "Alleen een manager van #{team} kan dat; er is niets veranderd. Vraag het {managers}, of kijk wat jij "
        "kunt met `/ritme me help`.",
    ),
    "error.no_team": (
        "Use this in your team's channel, for example type `/ritme standup list` in #team.",
        "Gebruik dit in het kanaal van je team, typ bijvoorbeeld `/ritme standup list` in #team.",
    ),
    "error.no_standup": (
        "#{team} has no stand-up yet. Create one with `/ritme standup create at 09:30 on mon-fri`.",
        "#{team} heeft nog geen stand-up. Maak er een met `/ritme standup create at 09:30 on mon-fri`.",
    ),
    "error.which_standup": (
        "#{team} has several stand-ups; say which one, for example `/ritme standup {verb} {example}`. "
        "`/ritme standup list` shows them.",
        "#{team} heeft meerdere stand-ups; zeg welke, bijvoorbeeld `/ritme standup {verb} {example}`. "
        "`/ritme standup list` toont ze.",
    ),
    "error.unknown_standup": (
        "#{team} has no stand-up {id}; it has {ids}. For example `/ritme standup {verb} {example}`.",
        "#{team} heeft geen stand-up {id}; wel {ids}. Bijvoorbeeld `/ritme standup {verb} {example}`.",
    ),
    "error.unknown_member": (
        "I don't know anyone called `{who}` in this workspace. Use their name as it is shown, for example "
        "`/ritme manager add Sam`.",
        "Ik ken niemand die `{who}` heet in deze werkruimte. Gebruik de naam zoals die getoond wordt, "
        "bijvoorbeeld `/ritme manager add Sam`.",
    ),
    "error.ambiguous_member": (
        "More than one person is called `{who}`. Use their user id, for example `/ritme manager add {example}`.",
        "Er heten meerdere mensen `{who}`. Gebruik hun gebruikers-id, bijvoorbeeld "
        "`/ritme manager add {example}`.",
    ),
    "error.digest_before": (
        "The digest at {digest} would come before the stand-up at {at}. Pick a later time, for example "
        "`digest {example}`.",
        "Het overzicht om {digest} zou voor de stand-up om {at} komen. Kies een later tijdstip, bijvoorbeeld "
        "`digest {example}`.",
    ),
    "error.answer_count": (
        "That form had {count} answers where {expected} were expected; nothing was saved. Please answer "
        "again in the latest form.",
        "Dat formulier had {count} antwoorden waar er {expected} verwacht werden; er is niets opgeslagen. "
        "Antwoord opnieuw in het nieuwste formulier.",
    ),
    "error.answer_empty": (
        "Your answer is empty; nothing was saved. Write a few words, for example \"Fine, focusing on the "
        "release\".",
        "Je antwoord is leeg; er is niets opgeslagen. Schrijf een paar woorden, bijvoorbeeld \"Goed, ik werk "
        "aan de release\".",
    ),
    "error.answer_long": (
        "One answer is {length} characters; the limit is {limit}, so nothing was saved. A few sentences is "
        "plenty.",
        "Eén antwoord is {length} tekens; de grens is {limit}, dus er is niets opgeslagen. Een paar zinnen "
        "is genoeg.",
    ),
    "error.answer_unknown": (
        "I can't find that stand-up prompt for you; nothing was saved. Wait for your next prompt, or ask a "
        "manager to run `/ritme standup run`.",
        "Ik kan die stand-upvraag voor jou niet vinden; er is niets opgeslagen. Wacht op je volgende vraag, of "
        "vraag een manager `/ritme standup run` te doen.",
    ),
    "error.answer_closed": (
        "The digest for {date} has been posted, so answers can't be changed any more.",
        "Het overzicht van {date} is al geplaatst, dus antwoorden kunnen niet meer veranderen.",
    ),
    "error.unknown_button": (
        "That button no longer does anything. `/ritme help` shows what you can do.",
        "Die knop doet niets meer. `/ritme help` laat zien wat je kunt doen.",
    ),
    # Replies to commands.
    "standup.created": (
        "Stand-up {id} is set for #{team}: {days} at {at}, in each member's own time zone. The digest is "
        "posted here at {digest} ({zone}). {remind}",
        "Stand-up {id} staat klaar voor #{team}: {days} om {at}, in ieders eigen tijdzone. Het overzicht komt "
        "hier om {digest} ({zone}). {remind}",
    ),
    "standup.remind_on": (
        "Who hasn't answered gets one reminder {minutes} minutes after the prompt.",
        "Wie nog niet antwoordde, krijgt {minutes} minuten na de vraag één herinnering.",
    ),
    "standup.remind_off": ("No reminders.", "Geen herinneringen."),
    "standup.list_header": ("Stand-ups of #{team}:", "Stand-ups van #{team}:"),
    "standup.list_item": (
        "{id}. {template}: {days} at {at}, digest {digest} ({zone}){paused}",
        "{id}. {template}: {days} om {at}, overzicht {digest} ({zone}){paused}",
    ),
    "standup.list_paused": (" — paused", " — gepauzeerd"),
    "standup.list_empty": (
        "#{team} has no stand-ups yet. Create one with `/ritme standup create at 09:30 on mon-fri`.",
        "#{team} heeft nog geen stand-ups. Maak er een met `/ritme standup create at 09:30 on mon-fri`.",
    ),
    "standup.paused": (
        "Stand-up {id} is paused; nobody is prompted until you `/ritme standup resume {id}`.",
        "Stand-up {id} is gepauzeerd; niemand krijgt een vraag tot je `/ritme standup resume {id}` doet.",
    ),
    "standup.resumed": ("Stand-up {id} runs again.", "Stand-up {id} loopt weer."),
    "standup.deleted": (
        "Stand-up {id} is deleted; the answers already given are kept.",
        "Stand-up {id} is verwijderd; gegeven antwoorden blijven bewaard.",
    ),
    "standup.run": ("Stand-up {id} runs now: {count} prompted.", "Stand-up {id} loopt nu: {count} gevraagd."),
    "standup.run_skipped": (
        "Not prompted, to respect their time: {names}.",
        "Niet gevraagd, uit respect voor hun tijd: {names}.",
    ),
    "standup.run_done": (
        "Stand-up {id} already ran today and its digest is posted; once a day is enough.",
        "Stand-up {id} is vandaag al geweest en het overzicht staat er; één keer per dag is genoeg.",
    ),
    "standup.digest_posted": ("The digest of stand-up {id} is posted.", "Het overzicht van stand-up {id} staat er."),
    "failures.header": (
        "Not delivered for #{team} in the past {days} days: {count}. Newest first:",
        "Niet bezorgd voor #{team} in de afgelopen {days} dagen: {count}. De nieuwste eerst:",
    ),
    "failures.item": ("• {when}: {what} to {whom} — {error}", "• {when}: {what} aan {whom} — {error}"),
    "failures.more": ("…and {more} older.", "…en nog {more} oudere."),
    "failures.none": (
        "Everything for #{team} was delivered in the past {days} days.",
        "Alles voor #{team} is de afgelopen {days} dagen bezorgd.",
    ),
    "failure.kind.form": ("stand-up prompt", "stand-upvraag"),
    "failure.kind.reminder": ("reminder", "herinnering"),
    "failure.kind.digest": ("digest", "overzicht"),
    "failure.kind.thread_reply": ("late answer in the digest's thread", "later antwoord onder het overzicht"),
    "failure.kind.update": ("confirmation of an answer", "bevestiging van een antwoord"),
    "failure.kind.reply": ("reply to a command", "antwoord op een commando"),
    "failure.kind.channel_post": ("channel message", "kanaalbericht"),
    "failure.kind.home": ("personal overview", "persoonlijk overzicht"),
    "failure.kind.channel_update": ("updated channel message", "bijgewerkt kanaalbericht"),
    "failure.kind.group_prompt": ("message to a small group", "bericht aan een groepje"),
    "failure.kind.status": ("Slack status during a no-meeting window", "Slack-status tijdens een vergadervrij blok"),
    "failure.kind.other": ("message", "bericht"),
    "moment": ("{date} at {time}", "{date} om {time}"),
    # The personal overview (Slack's App Home tab).
    "home.rituals.title": ("Your rituals", "Jouw rituelen"),
    "home.ritual": ("#{team} — {template}: {days} at {at}, digest {digest} ({zone})",
                    "#{team} — {template}: {days} om {at}, overzicht {digest} ({zone})"),
    "home.next": ("Your next prompt: {when}, your time.", "Je volgende vraag: {when}, jouw tijd."),
    "home.today": ("today at {time}", "vandaag om {time}"),
    "home.tomorrow": ("tomorrow at {time}", "morgen om {time}"),
    "home.paused": (
        "Paused: nobody is asked until a manager resumes it.",
        "Gepauzeerd: niemand krijgt een vraag tot een manager hem hervat.",
    ),
    "home.never": (
        "You are not asked: it falls outside your working days or hours. `/ritme me` shows them.",
        "Jij krijgt geen vraag: hij valt buiten je werkdagen of werktijden. `/ritme me` toont ze.",
    ),
    "home.rituals.none": (
        "You have no rituals yet. Start a daily stand-up by typing `/ritme standup create at 09:30 on mon-fri` "
        "in your team's channel.",
        "Je hebt nog geen rituelen. Begin een dagelijkse stand-up door `/ritme standup create at 09:30 on mon-fri` "
        "te typen in het kanaal van je team.",
    ),
    "home.settings.title": ("Your settings", "Jouw instellingen"),
    "home.settings.zone": ("Time zone: {zone}", "Tijdzone: {zone}"),
    "home.settings.hours": ("Working hours: {start}-{end} on {days}", "Werktijden: {start}-{end} op {days}"),
    "home.settings.language": ("Language: {language}", "Taal: {language}"),
    "home.settings.away": ("Away until {until}: no prompts till then.", "Weg tot {until}: tot dan geen vragen."),
    "home.settings.how": (
        "Change them anywhere you can type to Ritme, for example `/ritme me timezone Europe/Amsterdam`, "
        "`/ritme me hours 08:30-17:00`, `/ritme me days mon-thu`, `/ritme me away until {example}`, "
        "`/ritme me country BE` or `/ritme me language nl`.",
        "Verander ze overal waar je Ritme iets kunt sturen, bijvoorbeeld `/ritme me timezone Europe/Amsterdam`, "
        "`/ritme me hours 08:30-17:00`, `/ritme me days mon-thu`, `/ritme me away until {example}`, "
        "`/ritme me country BE` of `/ritme me language en`.",
    ),
    "home.managed.title": ("Teams you manage", "Teams die jij beheert"),
    "home.managed.no_rituals": (
        "No stand-ups yet: `/ritme standup create at 09:30 on mon-fri` in #{team} starts one.",
        "Nog geen stand-ups: `/ritme standup create at 09:30 on mon-fri` in #{team} begint er een.",
    ),
    "home.failures.none": (
        "Everything was delivered in the past {days} days.",
        "Alles is de afgelopen {days} dagen bezorgd.",
    ),
    "home.failures.some": (
        "Not delivered in the past {days} days: {count}. The latest, {when}: {what} to {whom} — {error}. "
        "`/ritme standup failures` in #{team} lists them.",
        "Niet bezorgd in de afgelopen {days} dagen: {count}. De laatste, {when}: {what} aan {whom} — {error}. "
        "`/ritme standup failures` in #{team} toont ze.",
    ),
    "error.failures_options": (
        "`standup failures` takes nothing after it, so `{value}` is not needed. Type just "
        "`/ritme standup failures`.",
        "`standup failures` heeft niets erachter nodig, dus `{value}` kan weg. Typ alleen "
        "`/ritme standup failures`.",
    ),
    "error.digest_nobody": (
        "Nobody has been asked for stand-up {id} today, so there is no digest to post yet. Start it with "
        "`/ritme standup run {id}`.",
        "Voor stand-up {id} is vandaag nog niemand gevraagd, dus er is nog geen overzicht. Start hem met "
        "`/ritme standup run {id}`.",
    ),
    "error.digest_done": (
        "Today's digest of stand-up {id} is already posted; the next one comes on its next day.",
        "Het overzicht van stand-up {id} staat er vandaag al; het volgende komt op de volgende dag.",
    ),
    "role.admin": ("a workspace admin", "een beheerder van de werkruimte"),
    "me.show": (
        "Your settings: time zone {zone}, working hours {start}-{end} on {days}, language {language}, "
        "public holidays of {country}.{away}",
        "Jouw instellingen: tijdzone {zone}, werktijden {start}-{end} op {days}, taal {language}, "
        "feestdagen van {country}.{away}",
    ),
    "me.away_note": (" Away until {until}.", " Weg tot {until}."),
    "me.timezone_set": (
        "Done: your time zone is {zone}. It is {now} there now.",
        "Gedaan: je tijdzone is {zone}. Het is daar nu {now}.",
    ),
    "me.hours_set": (
        "Done: I only message you between {start} and {end}.",
        "Gedaan: ik stuur je alleen berichten tussen {start} en {end}.",
    ),
    "me.days_set": ("Done: your working days are {days}.", "Gedaan: je werkdagen zijn {days}."),
    "me.away_set": (
        "Enjoy! I won't ask you anything until after {until}.",
        "Geniet ervan! Ik vraag je niets tot na {until}.",
    ),
    "me.away_off": ("Welcome back! Prompts start again.", "Welkom terug! De vragen beginnen weer."),
    "me.language_set": ("Done: I'll speak English with you.", "Gedaan: ik spreek voortaan Nederlands met je."),
    "manager.added": (
        "{name} is now a manager of #{team}.",
        "{name} is nu manager van #{team}.",
    ),
    "manager.first": (
        "You are the first to configure #{team}, so you are now its manager.",
        "Jij bent de eerste die #{team} instelt, dus je bent nu de manager.",
    ),
    "manager.list": ("Managers of #{team}: {names}.", "Managers van #{team}: {names}."),
    "manager.none": ("#{team} has no managers yet.", "#{team} heeft nog geen managers."),
    # Help.
    "help.main": (
        "Ritme keeps your team's rituals going. Try:\n"
        "`/ritme standup create at 09:30 on mon-fri` — a daily stand-up for this channel\n"
        "`/ritme standup list` — the stand-ups of this channel\n"
        "`/ritme pulse create weekly fri 14:00` — an anonymous wellbeing pulse for this channel\n"
        "`/ritme borrel create fri 16:30 45m https://meet.example/borrel` — a weekly virtual borrel with RSVPs\n"
        "`/ritme coffee join` — coffee pairing with colleagues (`/ritme coffee help`)\n"
        "`/ritme focus add wed 13:00-17:00 \"focus afternoon\"` — a no-meeting window (`/ritme focus help`)\n"
        "`/ritme core 10:00-12:00 14:00-16:00` — the team's core hours (`/ritme core help`)\n"
        "`/ritme meet-check tue 12:30 45m` — does a meeting slot suit everyone? (`/ritme meet-check help`)\n"
        "`/ritme me timezone Europe/Amsterdam` — your time zone\n"
        "`/ritme me hours 08:30-17:00` — when I may message you\n"
        "`/ritme me away until 2026-12-01` — a break from prompts\n"
        "`/ritme dashboard` — a private sign-in link to the web dashboard\n"
        "More: `/ritme standup help`, `/ritme pulse help`, `/ritme borrel help`, `/ritme me help`, "
        "`/ritme manager help`.",
        "Ritme houdt de rituelen van je team gaande. Probeer:\n"
        "`/ritme standup create at 09:30 on mon-fri` — een dagelijkse stand-up voor dit kanaal\n"
        "`/ritme standup list` — de stand-ups van dit kanaal\n"
        "`/ritme pulse create weekly fri 14:00` — een anonieme welzijnscheck voor dit kanaal\n"
        "`/ritme borrel create vr 16:30 45m https://meet.example/borrel` — een wekelijkse digitale borrel\n"
        "`/ritme coffee join` — koffiekoppels met collega's (`/ritme coffee help`)\n"
        "`/ritme focus add wed 13:00-17:00 \"focusmiddag\"` — een vergadervrij blok (`/ritme focus help`)\n"
        "`/ritme core 10:00-12:00 14:00-16:00` — de kerntijden van het team (`/ritme core help`)\n"
        "`/ritme meet-check tue 12:30 45m` — past een vergadering iedereen? (`/ritme meet-check help`)\n"
        "`/ritme me timezone Europe/Amsterdam` — je tijdzone\n"
        "`/ritme me hours 08:30-17:00` — wanneer ik je berichten mag sturen\n"
        "`/ritme me away until 2026-12-01` — even geen vragen\n"
        "`/ritme dashboard` — een persoonlijke inloglink voor het webdashboard\n"
        "Meer: `/ritme standup help`, `/ritme pulse help`, `/ritme borrel help`, `/ritme me help`, "
        "`/ritme manager help`.",
    ),
    "help.standup": (
        "Stand-ups (managers configure, everyone answers):\n"
        "`/ritme standup create [morning|checkout|weekstart] [at 09:30] [on mon-fri] [digest 11:00] "
        "[remind 1h|off] [zone Europe/Amsterdam] [questions \"...\" | \"...\"]`\n"
        "morning: how are you, your focus, blockers. checkout (16:30): how did it go, anything for tomorrow. "
        "weekstart (Monday 09:00): the week ahead.\n"
        "`/ritme standup list` · `/ritme standup pause 1` · `/ritme standup resume 1` · "
        "`/ritme standup delete 1` · `/ritme standup run` (prompt everyone now) · "
        "`/ritme standup digest` (post today's digest now); without a number, run and digest mean the newest.\n"
        "`/ritme standup failures` — what could not be delivered to this channel or its members this week.",
        "Stand-ups (managers stellen in, iedereen antwoordt):\n"
        "`/ritme standup create [morning|checkout|weekstart] [at 09:30] [on mon-fri] [digest 11:00] "
        "[remind 1h|off] [zone Europe/Amsterdam] [questions \"...\" | \"...\"]`\n"
        "morning: hoe gaat het, je focus, blokkades. checkout (16:30): hoe ging het, iets voor morgen. "
        "weekstart (maandag 09:00): de week die komt.\n"
        "`/ritme standup list` · `/ritme standup pause 1` · `/ritme standup resume 1` · "
        "`/ritme standup delete 1` · `/ritme standup run` (iedereen nu vragen) · "
        "`/ritme standup digest` (het overzicht van vandaag nu plaatsen); zonder nummer bedoelen run en digest "
        "de nieuwste.\n"
        "`/ritme standup failures` — wat deze week niet bezorgd kon worden aan dit kanaal of zijn leden.",
    ),
    "help.me": (
        "Your own settings (only you can change them):\n"
        "`/ritme me` — show them\n"
        "`/ritme me timezone Europe/Amsterdam` · `/ritme me hours 08:30-17:00` · `/ritme me days mon-fri`\n"
        "`/ritme me away until 2026-12-01` · `/ritme me away off` · `/ritme me language nl`\n"
        "`/ritme me country BE` — whose public holidays I keep free of messages · `/ritme me country off`",
        "Je eigen instellingen (alleen jij kunt ze veranderen):\n"
        "`/ritme me` — toon ze\n"
        "`/ritme me timezone Europe/Amsterdam` · `/ritme me hours 08:30-17:00` · `/ritme me days mon-fri`\n"
        "`/ritme me away until 2026-12-01` · `/ritme me away off` · `/ritme me language en`\n"
        "`/ritme me country BE` — op wiens feestdagen ik je niets stuur · `/ritme me country off`",
    ),
    "help.manager": (
        "Managers configure the rituals of a channel. The first person to set one up becomes its manager.\n"
        "`/ritme manager list` · `/ritme manager add Sam` · `/ritme manager audit` (who changed what, when)",
        "Managers stellen de rituelen van een kanaal in. Wie als eerste iets instelt, wordt manager.\n"
        "`/ritme manager list` · `/ritme manager add Sam` · `/ritme manager audit` (wie wat wanneer veranderde)",
    ),
    "help.pulse": (
        "Wellbeing pulse (managers configure, everyone answers anonymously):\n"
        "`/ritme pulse create [weekly|biweekly] [on] fri [at] 14:00 [questions 2] [pin workload] [k 5] "
        "[to managers] [open 3d] [remind off]`\n"
        "Everyone gets 1 to 3 questions on a scale of 1 to 5, taking turns through the bank; pinned ones are always "
        "asked. A round stays open 3 days unless you say `open 1d` to `open 6d`. Results go to this channel (or "
        "`to managers` only), and only from k answers: 5 unless you raise it, never below 3.\n"
        "`/ritme pulse list` · `/ritme pulse pause 1` · `/ritme pulse resume 1` · `/ritme pulse delete 1` · "
        "`/ritme pulse questions` (the bank, with ids to pin)",
        "Welzijnscheck (managers stellen in, iedereen antwoordt anoniem):\n"
        "`/ritme pulse create [weekly|biweekly] [on] fri [at] 14:00 [questions 2] [pin workload] [k 5] "
        "[to managers] [open 3d] [remind off]`\n"
        "Iedereen krijgt 1 tot 3 vragen op een schaal van 1 tot 5, om de beurt uit de vragenbank; vastgezette "
        "vragen komen altijd. Een ronde staat 3 dagen open, tenzij je `open 1d` tot `open 6d` zegt. De uitkomst "
        "komt in dit kanaal (of met `to managers` alleen bij de managers), en pas vanaf k antwoorden: 5, tenzij je "
        "het verhoogt, en nooit minder dan 3.\n"
        "`/ritme pulse list` · `/ritme pulse pause 1` · `/ritme pulse resume 1` · `/ritme pulse delete 1` · "
        "`/ritme pulse questions` (de vragenbank, met ids om vast te zetten)",
    ),
    "demo.welcome": (
        "Welcome to the Ritme demo! Anna, Ben, Lucas and Priya are a team in four time zones with a morning "
        "stand-up. Pick a person on the left and press \"Run stand-up now\": everyone who is working gets a "
        "form in their direct messages. Answer as two people, press \"Post digest now\", and the digest appears "
        "here. `/ritme help` shows the rest.",
        "Welkom bij de demo van Ritme! Anna, Ben, Lucas en Priya zijn een team in vier tijdzones met een "
        "ochtend-stand-up. Kies links iemand en druk op \"Stand-up nu starten\": wie aan het werk is, krijgt een "
        "formulier in de privéberichten. Antwoord als twee mensen, druk op \"Overzicht nu plaatsen\", en het "
        "overzicht verschijnt hier. `/ritme help` toont de rest.",
    ),
    # The stand-up itself.
    "standup.prompt": (
        "Good morning! Time for the stand-up of #{team}. Answer when it suits you, before {deadline}.",
        "Goedemorgen! Tijd voor de stand-up van #{team}. Antwoord wanneer het je uitkomt, voor {deadline}.",
    ),
    "standup.prompt_checkout": (
        "Time to check out with #{team}. Answer before {deadline}, then enjoy your evening.",
        "Tijd om uit te checken bij #{team}. Antwoord voor {deadline}, en geniet dan van je avond.",
    ),
    "standup.prompt_weekstart": (
        "A new week! Share your start with #{team}, before {deadline}.",
        "Een nieuwe week! Deel je start met #{team}, voor {deadline}.",
    ),
    "standup.submit": ("Send answer", "Antwoord versturen"),
    "standup.answer": ("Answer", "Beantwoorden"),
    "standup.saved": (
        "Thanks, your answer is saved. You can change it until {deadline}.",
        "Dank je, je antwoord is bewaard. Je kunt het aanpassen tot {deadline}.",
    ),
    "standup.edit": ("Edit answer", "Antwoord aanpassen"),
    "standup.late_saved": (
        "Thanks! The digest was already posted, so your answer was added to its thread.",
        "Dank je! Het overzicht was al geplaatst, dus je antwoord staat nu in de draad eronder.",
    ),
    "standup.reminder": (
        "A gentle reminder: the stand-up of #{team} closes at {deadline}. Your form is above.",
        "Een vriendelijke herinnering: de stand-up van #{team} sluit om {deadline}. Je formulier staat hierboven.",
    ),
    "digest.title": ("Stand-up of #{team}, {date}", "Stand-up van #{team}, {date}"),
    "digest.blockers": ("Blockers", "Blokkades"),
    "digest.not_answered": ("Not answered (yet): {names}", "(Nog) geen antwoord: {names}"),
    "digest.no_answers": ("Nobody answered this time.", "Niemand heeft deze keer geantwoord."),
    "digest.late": ("Late answer from {name}:", "Later antwoord van {name}:"),
    "q.morning.1": ("How are you doing today?", "Hoe gaat het vandaag met je?"),
    "q.morning.2": ("What is your focus today?", "Waar richt je je vandaag op?"),
    "q.morning.3": ("Is anything blocking you?", "Zit je ergens mee vast?"),
    "q.checkout.1": ("How did today go?", "Hoe ging het vandaag?"),
    "q.checkout.2": ("Anything for tomorrow?", "Iets voor morgen?"),
    "q.checkout.3": ("Is anything blocking you?", "Zit je ergens mee vast?"),
    "q.weekstart.1": ("How are you starting the week?", "Hoe begin je aan de week?"),
    "q.weekstart.2": ("What do you want to get done this week?", "Wat wil je deze week af hebben?"),
    "q.weekstart.3": ("Is anything blocking you?", "Zit je ergens mee vast?"),
    "template.morning": ("morning check-in", "ochtend-check-in"),
    "template.checkout": ("end-of-day check-out", "check-out aan het eind van de dag"),
    "template.weekstart": ("Monday week start", "weekstart op maandag"),
    "template.custom": ("stand-up", "stand-up"),
    "language.en": ("English", "Engels"),
    "language.nl": ("Dutch", "Nederlands"),
    "list.and": ("and", "en"),
    # Pulse commands.
    "error.pulse_when": (
        "Say on which day and at what time a round opens, for example `{example}`.",
        "Zeg op welke dag en hoe laat een ronde opent, bijvoorbeeld `{example}`.",
    ),
    "error.pulse_day": (
        "`{value}` is not a day of the week; a pulse opens on one day (mon, tue, wed, thu, fri, sat or sun), for "
        "example `{example}`.",
        "`{value}` is geen dag van de week; een welzijnscheck opent op één dag (mon, tue, wed, thu, fri, sat of "
        "sun), bijvoorbeeld `{example}`.",
    ),
    "error.pulse_option": (
        "I don't know the option `{word}`. After the day and time come questions, pin, k, to, open and remind, "
        "for example `{example}`.",
        "De optie `{word}` ken ik niet. Na de dag en tijd komen questions, pin, k, to, open en remind, "
        "bijvoorbeeld `{example}`.",
    ),
    "error.pulse_repeated": (
        "`{option}` is given twice; give each option once, for example `{example}`.",
        "`{option}` staat er twee keer; geef elke optie één keer, bijvoorbeeld `{example}`.",
    ),
    "error.pulse_missing": (
        "`{option}` needs a value, for example `{example}`.",
        "`{option}` heeft een waarde nodig, bijvoorbeeld `{example}`.",
    ),
    "error.pulse_count": (
        "`questions {value}`: a round asks {low} to {high} questions, for example "
        "`/ritme pulse create weekly fri 14:00 questions 2`.",
        "`questions {value}`: een ronde stelt {low} tot {high} vragen, bijvoorbeeld "
        "`/ritme pulse create weekly fri 14:00 questions 2`.",
    ),
    "error.pulse_k": (
        "`k {value}`: results show from k answers, a whole number from {low} to {high} (fewer would let people "
        "work out each other's answers), for example `/ritme pulse create weekly fri 14:00 k 5`.",
        "`k {value}`: de uitkomst verschijnt vanaf k antwoorden, een heel getal van {low} tot {high} (minder zou "
        "elkaars antwoorden te raden geven), bijvoorbeeld `/ritme pulse create weekly fri 14:00 k 5`.",
    ),
    "error.pulse_open": (
        "`open {value}`: a round stays open {low} to {high} days, for example "
        "`/ritme pulse create weekly fri 14:00 open 3d`.",
        "`open {value}`: een ronde staat {low} tot {high} dagen open, bijvoorbeeld "
        "`/ritme pulse create weekly fri 14:00 open 3d`.",
    ),
    "error.pulse_pin": (
        "`{value}` is not a question to pin. `/ritme pulse questions` shows the ids, for example "
        "`/ritme pulse create weekly fri 14:00 pin workload`.",
        "`{value}` is geen vraag om vast te zetten. `/ritme pulse questions` toont de ids, bijvoorbeeld "
        "`/ritme pulse create weekly fri 14:00 pin workload`.",
    ),
    "error.pulse_pins_many": (
        "{count} pinned questions, but a round asks {per_round}; pinned questions are always asked, so pin at most "
        "as many, for example `/ritme pulse create weekly fri 14:00 questions 2 pin workload,feeling`.",
        "{count} vastgezette vragen, maar een ronde stelt er {per_round}; vastgezette vragen komen altijd, dus zet "
        "er hooguit zoveel vast, bijvoorbeeld `/ritme pulse create weekly fri 14:00 questions 2 pin "
        "workload,feeling`.",
    ),
    "error.pulse_audience": (
        "`to {value}`: results go to the channel or to the managers only, for example "
        "`/ritme pulse create weekly fri 14:00 to managers`.",
        "`to {value}`: de uitkomst gaat naar het kanaal of alleen naar de managers, bijvoorbeeld "
        "`/ritme pulse create weekly fri 14:00 to managers`.",
    ),
    "error.pulse_remind": (
        "`remind {value}`: the one reminder is on or off, for example "
        "`/ritme pulse create weekly fri 14:00 remind off`.",
        "`remind {value}`: de ene herinnering staat aan (on) of uit (off), bijvoorbeeld "
        "`/ritme pulse create weekly fri 14:00 remind off`.",
    ),
    "error.pulse_extra": (
        "`pulse {verb}` takes nothing after it (`{value}` was given); for example `/ritme pulse {verb}`.",
        "`pulse {verb}` heeft niets erachter nodig (`{value}` stond er); bijvoorbeeld `/ritme pulse {verb}`.",
    ),
    "error.pulse_id": (
        "`{value}` is not a pulse number. Use a number from `/ritme pulse list`, for example `/ritme pulse {verb} 1`.",
        "`{value}` is geen nummer van een welzijnscheck. Gebruik een nummer uit `/ritme pulse list`, bijvoorbeeld "
        "`/ritme pulse {verb} 1`.",
    ),
    "error.no_pulse": (
        "#{team} has no pulse yet. Create one with `/ritme pulse create weekly fri 14:00`.",
        "#{team} heeft nog geen welzijnscheck. Maak er een met `/ritme pulse create weekly fri 14:00`.",
    ),
    "error.which_pulse": (
        "#{team} has several pulses; say which one, for example `/ritme pulse {verb} {example}`. "
        "`/ritme pulse list` shows them.",
        "#{team} heeft meerdere welzijnschecks; zeg welke, bijvoorbeeld `/ritme pulse {verb} {example}`. "
        "`/ritme pulse list` toont ze.",
    ),
    "error.unknown_pulse": (
        "#{team} has no pulse {id}; it has {ids}. For example `/ritme pulse {verb} {example}`.",
        "#{team} heeft geen welzijnscheck {id}; wel {ids}. Bijvoorbeeld `/ritme pulse {verb} {example}`.",
    ),
    "pulse.created": (
        "Pulse {id} is set for #{team}: {every} on {day} at {at} ({zone}), {count} questions a round{pinned}. A "
        "round stays open until {close_day} {close_at}; results go to {audience}, only when at least {k} answered. "
        "{remind}",
        "Welzijnscheck {id} staat klaar voor #{team}: {every} op {day} om {at} ({zone}), {count} vragen per "
        "ronde{pinned}. Een ronde staat open tot {close_day} {close_at}; de uitkomst gaat naar {audience}, alleen "
        "als minstens {k} mensen antwoordden. {remind}",
    ),
    "pulse.every.1": ("every week", "elke week"),
    "pulse.every.2": ("every other week", "om de week"),
    "pulse.pinned": (", always asking {ids}", ", altijd met {ids}"),
    "pulse.audience.channel": ("this channel", "dit kanaal"),
    "pulse.audience.managers": ("the managers only", "alleen de managers"),
    "pulse.remind_on": (
        "Who hasn't answered gets one reminder before it closes, within their working hours.",
        "Wie nog niet antwoordde, krijgt één herinnering voor het sluiten, binnen de eigen werktijden.",
    ),
    "pulse.remind_off": ("No reminders.", "Geen herinneringen."),
    "pulse.list_header": ("Pulses of #{team}:", "Welzijnschecks van #{team}:"),
    "pulse.list_item": (
        "{id}. {every} on {day} at {at} until {close_day} {close_at} ({zone}), {count} questions, k {k}, to "
        "{audience}{paused}",
        "{id}. {every} op {day} om {at} tot {close_day} {close_at} ({zone}), {count} vragen, k {k}, naar "
        "{audience}{paused}",
    ),
    "pulse.list_empty": (
        "#{team} has no pulses yet. Create one with `/ritme pulse create weekly fri 14:00`.",
        "#{team} heeft nog geen welzijnschecks. Maak er een met `/ritme pulse create weekly fri 14:00`.",
    ),
    "pulse.paused": (
        "Pulse {id} is paused; nobody is asked until you `/ritme pulse resume {id}`.",
        "Welzijnscheck {id} is gepauzeerd; niemand krijgt een vraag tot je `/ritme pulse resume {id}` doet.",
    ),
    "pulse.resumed": ("Pulse {id} runs again.", "Welzijnscheck {id} loopt weer."),
    "pulse.deleted": (
        "Pulse {id} is deleted; the totals of closed rounds are kept.",
        "Welzijnscheck {id} is verwijderd; de totalen van gesloten rondes blijven bewaard.",
    ),
    # The wellbeing pulse. Its questions: text, then the words at each end of the 1-5 scale.
    "pulse.q.feeling": ("How are you feeling this week?", "Hoe voel je je deze week?"),
    "pulse.q.feeling.low": ("very bad", "heel slecht"),
    "pulse.q.feeling.high": ("very good", "heel goed"),
    "pulse.q.workload": ("How manageable was your workload this week?", "Hoe goed was je werk deze week te behappen?"),
    "pulse.q.workload.low": ("unmanageable", "niet te behappen"),
    "pulse.q.workload.high": ("very manageable", "goed te behappen"),
    "pulse.q.connected": (
        "How connected do you feel to your colleagues?", "Hoe verbonden voel je je met je collega's?"
    ),
    "pulse.q.connected.low": ("not at all", "helemaal niet"),
    "pulse.q.connected.high": ("very connected", "heel verbonden"),
    "pulse.q.switch_off": (
        "Could you switch off after work this week?", "Kon je deze week na werktijd het werk loslaten?"
    ),
    "pulse.q.switch_off.low": ("never", "nooit"),
    "pulse.q.switch_off.high": ("every day", "elke dag"),
    "pulse.q.overload": (
        "How much did the stream of messages and information bother you this week?",
        "Hoeveel last had je deze week van de stroom berichten en informatie?",
    ),
    "pulse.q.overload.low": ("not at all", "helemaal niet"),
    "pulse.q.overload.high": ("a lot", "heel veel"),
    "pulse.q.focus": (
        "Could you work with focus, without constant interruptions?",
        "Kon je geconcentreerd werken, zonder steeds gestoord te worden?",
    ),
    "pulse.q.focus.low": ("almost never", "bijna nooit"),
    "pulse.q.focus.high": ("almost always", "bijna altijd"),
    "pulse.q.support": (
        "Do you feel supported by your manager and team?", "Voel je je gesteund door je manager en je team?"
    ),
    "pulse.q.support.low": ("not at all", "helemaal niet"),
    "pulse.q.support.high": ("fully", "volledig"),
    "pulse.q.energy": ("How much energy did you have this week?", "Hoeveel energie had je deze week?"),
    "pulse.q.energy.low": ("very little", "heel weinig"),
    "pulse.q.energy.high": ("plenty", "volop"),
    "pulse.lower_better": (" (lower is better)", " (lager is beter)"),
    "pulse.bank.header": (
        "Questions the pulse can ask, each on a scale of 1 to 5. Pin one with its id, for example `pin workload`:",
        "Vragen die de welzijnscheck kan stellen, elk op een schaal van 1 tot 5. Zet er een vast met zijn id, "
        "bijvoorbeeld `pin workload`:",
    ),
    "pulse.bank.item": ("• `{id}` — {question}{note}", "• `{id}` — {question}{note}"),
    # What a member gets.
    "pulse.prompt": (
        "Time for the wellbeing pulse of #{team}: one tap per question, until {deadline}. It's anonymous: your "
        "answers are stored without your name, and results show only when at least {k} people have answered.",
        "Tijd voor de welzijnscheck van #{team}: één tik per vraag, tot {deadline}. Het is anoniem: je antwoorden "
        "worden zonder je naam bewaard, en de uitkomst verschijnt pas als minstens {k} mensen hebben geantwoord.",
    ),
    "pulse.comment": (
        "Anything else? (optional; comments show only when at least {k} people write one)",
        "Nog iets kwijt? (mag leeg blijven; opmerkingen verschijnen alleen als minstens {k} mensen er een schrijven)",
    ),
    "pulse.submit": ("Send anonymously", "Anoniem versturen"),
    "pulse.open": ("Answer", "Invullen"),
    "pulse.saved": (
        "Thanks! Your answers are saved without your name. Results come when the round closes ({deadline}), if at "
        "least {k} people answered.",
        "Dank je! Je antwoorden zijn zonder je naam bewaard. De uitkomst volgt als de ronde sluit ({deadline}), als "
        "minstens {k} mensen hebben geantwoord.",
    ),
    "pulse.reminder": (
        "A gentle reminder: the wellbeing pulse of #{team} is open until {deadline}. It takes a minute, and it's "
        "anonymous. Your form is above.",
        "Een vriendelijke herinnering: de welzijnscheck van #{team} staat open tot {deadline}. Het kost een minuutje "
        "en is anoniem. Je formulier staat hierboven.",
    ),
    "error.pulse_answered": (
        "You already answered this round. Answers are stored without your name, so they can't be changed "
        "afterwards; the next round is a new chance.",
        "Je hebt deze ronde al geantwoord. Antwoorden worden zonder je naam bewaard, dus ze kunnen achteraf niet "
        "meer veranderen; de volgende ronde is een nieuwe kans.",
    ),
    "error.pulse_closed": (
        "The pulse round of {date} has closed, so this answer was not saved. The next round is a new chance.",
        "De ronde van de welzijnscheck van {date} is gesloten, dus dit antwoord is niet opgeslagen. De volgende "
        "ronde is een nieuwe kans.",
    ),
    "error.pulse_value": (
        "`{value}` is not a point on the scale of 1 to 5; nothing was saved. Tap a number from 1 to 5 in the "
        "latest form.",
        "`{value}` is geen punt op de schaal van 1 tot 5; er is niets opgeslagen. Tik een getal van 1 tot 5 aan in "
        "het nieuwste formulier.",
    ),
    "error.pulse_empty": (
        "Every question was left open, so nothing was saved. Tap a number on at least one question, for example "
        "4 on the first.",
        "Je hebt alle vragen opengelaten, dus er is niets opgeslagen. Tik bij minstens één vraag een getal aan, "
        "bijvoorbeeld 4 bij de eerste.",
    ),
    # Asking for a talk: deliberately not anonymous, and it says so before anything is sent.
    "pulse.talk.prompt": (
        "Would you rather talk to someone? This button is not anonymous: it tells your manager you'd like a chat, "
        "and shares nothing of your answers.",
        "Praat je liever even met iemand? Deze knop is niet anoniem: je manager hoort dat je graag een gesprek wilt, "
        "en krijgt niets van je antwoorden te zien.",
    ),
    "pulse.talk.button": ("I'd like a chat with my manager", "Ik wil graag praten met mijn manager"),
    "pulse.talk.explain": (
        "If you confirm, the managers of #{team} ({managers}) get a private message with your name and that you'd "
        "like a chat. That is all: nothing of your pulse answers is shared, now or later. Not now? Just leave this "
        "message.",
        "Als je bevestigt, krijgen de managers van #{team} ({managers}) een privébericht met je naam en dat je "
        "graag een gesprek wilt. Meer niet: niets van je antwoorden op de welzijnscheck wordt gedeeld, nu niet en "
        "later ook niet. Toch niet? Laat dit bericht dan gewoon staan.",
    ),
    "pulse.talk.confirm": ("Yes, let them know", "Ja, laat het weten"),
    "pulse.talk.no_managers": (
        "#{team} has no manager in Ritme yet, so there is nobody to tell. A workspace admin can add one, for "
        "example `/ritme manager add Sam`.",
        "#{team} heeft nog geen manager in Ritme, dus er is niemand om het te laten weten. Een beheerder van de "
        "werkruimte kan er een toevoegen, bijvoorbeeld `/ritme manager add Sam`.",
    ),
    "pulse.talk.request": (
        "{name} from #{team} would like a chat with you. Nothing of their pulse answers is shared. A personal "
        "message or a short call is a good start.",
        "{name} van #{team} wil graag een gesprek met je. Er wordt niets van de antwoorden op de welzijnscheck "
        "gedeeld. Een persoonlijk berichtje of een kort belletje is een goed begin.",
    ),
    "pulse.talk.sent": (
        "Done: the managers of #{team} ({managers}) know you'd like a chat. They got your name only, none of your "
        "answers.",
        "Gedaan: de managers van #{team} ({managers}) weten nu dat je graag een gesprek wilt. Alleen je naam is "
        "gedeeld, geen van je antwoorden.",
    ),
    # Results of a round.
    "pulse.results.title": ("Wellbeing pulse of #{team}, {date}", "Welzijnscheck van #{team}, {date}"),
    "pulse.results.rate": (
        "{responded} of {prompted} answered ({percent}%).",
        "{responded} van de {prompted} hebben geantwoord ({percent}%).",
    ),
    "pulse.results.question": (
        "Average {average} of 5 from {n} answers{change}. Per point 1 to 5: {distribution}. Trend: {trend}",
        "Gemiddeld {average} van 5 uit {n} antwoorden{change}. Per punt 1 tot 5: {distribution}. Verloop: {trend}",
    ),
    "pulse.results.up": (", {delta} higher than recent rounds", ", {delta} hoger dan de vorige rondes"),
    "pulse.results.down": (", {delta} lower than recent rounds", ", {delta} lager dan de vorige rondes"),
    "pulse.results.same": (", the same as recent rounds", ", gelijk aan de vorige rondes"),
    "pulse.results.legend": (
        "Trend: the last rounds that asked the question, oldest first; · is a round with too few answers to show.",
        "Verloop: de laatste rondes met die vraag, de oudste eerst; · is een ronde met te weinig antwoorden om te "
        "tonen.",
    ),
    "pulse.question.too_few": (
        "Not shown: {n} people answered this question, and a question shows from {k} answers, so nobody's answer "
        "can be picked out.",
        "Niet getoond: {n} mensen beantwoordden deze vraag, en een vraag verschijnt pas vanaf {k} antwoorden, zodat "
        "niemands antwoord te herleiden is.",
    ),
    "pulse.comments.title": ("Comments, in random order:", "Opmerkingen, in willekeurige volgorde:"),
    "pulse.comments.held": (
        "Comments are not shown: they show only when at least {k} people write one, so nobody's words stand "
        "out on their own.",
        "Opmerkingen worden niet getoond: dat gebeurt pas als minstens {k} mensen er een schrijven, zodat niemands "
        "woorden op zichzelf staan.",
    ),
    "pulse.withheld.too_few": (
        "{responded} of {prompted} answered; results show from {k} answers, so nobody's answer can be picked out.",
        "{responded} van de {prompted} hebben geantwoord; de uitkomst verschijnt vanaf {k} antwoorden, zodat "
        "niemands antwoord te herleiden is.",
    ),
    "pulse.withheld.team_too_small": (
        "This pulse reaches {prompted} people and results show from {k} answers, so nobody's answer can be picked "
        "out. In a team this size they never show; that is on purpose.",
        "Deze check bereikt {prompted} mensen en de uitkomst verschijnt pas vanaf {k} antwoorden, zodat niemands "
        "antwoord te herleiden is. In een team van deze omvang verschijnt die dus nooit, en dat is met opzet.",
    ),
    "pulse.breakdown.too_few": (
        "Not shown: part of it rests on {n} answers, and figures show from {k}, so nobody's answer can be picked "
        "out.",
        "Niet getoond: een deel ervan rust op {n} antwoorden, en cijfers verschijnen pas vanaf {k}, zodat niemands "
        "antwoord te herleiden is.",
    ),
    "pulse.breakdown.difference": (
        "Not shown: it differs from “{other}” by {n} answers, and subtracting the two would show what fewer than "
        "{k} people answered.",
        "Niet getoond: het verschilt {n} antwoorden van “{other}”, en door die twee van elkaar af te trekken zou "
        "zichtbaar worden wat minder dan {k} mensen antwoordden.",
    ),
    # A private nudge to managers when a round signals trouble.
    "pulse.signal.title": (
        "A signal from the wellbeing pulse of #{team} ({date}), for managers only",
        "Een signaal uit de welzijnscheck van #{team} ({date}), alleen voor managers",
    ),
    "pulse.signal.drop": (
        "“{question}”{note}: {average} this round, against {baseline} on average in the rounds before.",
        "“{question}”{note}: {average} deze ronde, tegen gemiddeld {baseline} in de rondes ervoor.",
    ),
    "pulse.signal.low": (
        "“{question}”{note}: {percent}% of the answers were a {ends}.",
        "“{question}”{note}: {percent}% van de antwoorden was een {ends}.",
    ),
    "pulse.signal.ends_low": ("1 or 2", "1 of 2"),
    "pulse.signal.ends_high": ("4 or 5", "4 of 5"),
    "pulse.signal.tips": ("What could help:", "Wat kan helpen:"),
    "pulse.tip.checkins": (
        "Plan 1-on-1 check-ins this week and ask “how are you really?” — then listen.",
        "Plan deze week één-op-één-gesprekken en vraag “hoe gaat het nu echt met je?” — en luister dan.",
    ),
    "pulse.tip.workload": (
        "Look at the workload together: what can wait, be dropped or be shared?",
        "Bekijk samen de werkdruk: wat kan wachten, vervallen of verdeeld worden?",
    ),
    "pulse.tip.social": (
        "Plan a social moment on purpose: an hour's virtual borrel each week, or coffee pairings.",
        "Plan bewust een sociaal moment: een uur per week een digitale borrel, of koffiekoppels.",
    ),
    "pulse.tip.quiet": (
        "Protect a no-meeting window (say 12:00-13:00, so people can get outside) and agree on core hours.",
        "Bescherm een vergadervrij blok (bijvoorbeeld 12:00-13:00, zodat mensen naar buiten kunnen) en spreek "
        "kerntijden af.",
    ),
    "pulse.tip.after_hours": (
        "Respect free time: no messages after hours, and say out loud that replies can wait until tomorrow.",
        "Respecteer vrije tijd: geen berichten na werktijd, en zeg hardop dat een antwoord tot morgen kan wachten.",
    ),
    "pulse.signal.privacy": (
        "This is about the team, not about anyone in it: please don't try to find out who answered what.",
        "Dit gaat over het team, niet over iemand in het bijzonder: probeer niet uit te zoeken wie wat antwoordde.",
    ),
    # The local browser chat's own words (menus, buttons, its errors) follow below, under "ui.".
    "ui.page.title": ("Ritme — local chat", "Ritme — lokale chat"),
    "ui.brand.note": ("local", "lokaal"),
    "ui.menu.label": ("Show people and conversations", "Toon mensen en gesprekken"),
    "ui.people.heading": ("You are", "Jij bent"),
    "ui.add_person.toggle": ("Add person", "Persoon toevoegen"),
    "ui.add_person.name": ("Name", "Naam"),
    "ui.add_person.name_placeholder": ("for example Ada Lovelace", "bijvoorbeeld Ada Lovelace"),
    "ui.add_person.timezone": ("Time zone", "Tijdzone"),
    "ui.add_person.timezone_placeholder": ("for example Europe/Amsterdam", "bijvoorbeeld Europe/Amsterdam"),
    "ui.add_person.language": ("Language", "Taal"),
    "ui.add_person.submit": ("Add", "Toevoegen"),
    "ui.conversations.heading": ("Conversations", "Gesprekken"),
    "ui.conversation.dm": ("Direct messages with Ritme", "Privéberichten met Ritme"),
    "ui.run_standup": ("Run stand-up now", "Stand-up nu starten"),
    "ui.post_digest": ("Post digest now", "Overzicht nu plaatsen"),
    "ui.composer.label": ("Message", "Bericht"),
    "ui.composer.placeholder": (
        "Message {conversation} — try /ritme help",
        "Bericht in {conversation} — probeer /ritme help",
    ),
    "ui.composer.nobody": ("Add a person to start", "Voeg een persoon toe om te beginnen"),
    "ui.send": ("Send", "Versturen"),
    "ui.only_you": ("Only visible to you", "Alleen zichtbaar voor jou"),
    "ui.empty": ("No messages yet. Try /ritme help.", "Nog geen berichten. Probeer /ritme help."),
    "ui.status.connecting": ("Connecting to Ritme…", "Verbinden met Ritme…"),
    "ui.status.reconnecting": ("Reconnecting to Ritme…", "Opnieuw verbinden met Ritme…"),
    "ui.status.lost": (
        "Lost the connection to Ritme. Reload the page to try again.",
        "De verbinding met Ritme is verbroken. Laad de pagina opnieuw om het nog eens te proberen.",
    ),
    "ui.form.sending": ("Sending…", "Versturen…"),
    "ui.form.sent": (
        "Sent. You can still change it and send again.",
        "Verstuurd. Je kunt het nog aanpassen en opnieuw versturen.",
    ),
    "ui.error.unreachable": (
        "Could not reach Ritme. Check that it is still running, then try again.",
        "Ritme is niet bereikbaar. Kijk of het nog draait en probeer het dan opnieuw.",
    ),
    "ui.error.status": (
        "Ritme answered with error {status}. Please try again.",
        "Ritme antwoordde met fout {status}. Probeer het opnieuw.",
    ),
    "ui.error.inbound_failed": (
        "Ritme could not handle that; please try again.",
        "Ritme kon dat niet verwerken; probeer het opnieuw.",
    ),
    "ui.error.content_type": (
        "body: send JSON with Content-Type: application/json",
        "body: stuur JSON met Content-Type: application/json",
    ),
    "ui.error.json": (
        "body: send valid JSON, for example {example}",
        "body: stuur geldige JSON, bijvoorbeeld {example}",
    ),
    "ui.error.json_object": (
        "body: send a JSON object, for example {example}",
        "body: stuur een JSON-object, bijvoorbeeld {example}",
    ),
    "ui.error.not_text": (
        "{field}: give it as text, for example {example}",
        "{field}: geef het als tekst, bijvoorbeeld {example}",
    ),
    "ui.error.user_missing": (
        "user: give the member's id, for example {example}",
        "user: geef het id van het lid, bijvoorbeeld {example}",
    ),
    "ui.error.user_unknown": (
        "user: nobody has the id {user_id}; pick someone from the member list, for example {example}",
        "user: niemand heeft het id {user_id}; kies iemand uit de ledenlijst, bijvoorbeeld {example}",
    ),
    "ui.error.conversation": (
        "conversation: write in a team channel or in your own direct messages, for example {channel} or {dm}",
        "conversation: schrijf in een teamkanaal of in je eigen privéberichten, bijvoorbeeld {channel} of {dm}",
    ),
    "ui.error.conversation_dm": (
        "conversation: write in your own direct messages, for example {dm}",
        "conversation: schrijf in je eigen privéberichten, bijvoorbeeld {dm}",
    ),
    "ui.error.text": (
        'text: type 1 to {limit} characters, for example "/ritme help"',
        'text: typ 1 tot en met {limit} tekens, bijvoorbeeld "/ritme help"',
    ),
    "ui.error.delivery_id": (
        "delivery_id: use the form's number, for example 42",
        "delivery_id: gebruik het nummer van het formulier, bijvoorbeeld 42",
    ),
    "ui.error.values": (
        "values: send a list of at most {count} answers of at most {limit} characters each, for example "
        '["Fixed the bug"]',
        "values: stuur een lijst van hoogstens {count} antwoorden van elk hoogstens {limit} tekens, bijvoorbeeld "
        '["Bug opgelost"]',
    ),
    "ui.error.button_field": (
        "{field}: give the button's {field} as text of at most {limit} characters without control characters, for "
        "example {example}",
        "{field}: geef de {field} van de knop als tekst van hoogstens {limit} tekens zonder stuurtekens, "
        "bijvoorbeeld {example}",
    ),
    "ui.error.too_large": (
        "The request is larger than the {limit} bytes the chat takes; send one message at a time, for example "
        "{example}",
        "Het verzoek is groter dan de {limit} bytes die de chat aanneemt; stuur één bericht tegelijk, bijvoorbeeld "
        "{example}",
    ),
    "ui.error.event_id": (
        "event_id: use a short unique text of at most {limit} characters without control characters, for example "
        "{example}",
        "event_id: gebruik een korte unieke tekst van hoogstens {limit} tekens zonder stuurtekens, bijvoorbeeld "
        "{example}",
    ),
    "ui.error.user_id": (
        'user_id: use an id of 1 to {limit} characters without spaces or colons, for example "ada"',
        'user_id: gebruik een id van 1 tot en met {limit} tekens zonder spaties of dubbele punten, bijvoorbeeld "ada"',
    ),
    "ui.error.display_name_length": (
        'display_name: use 1 to {limit} characters, for example "Ada Lovelace"',
        'display_name: gebruik 1 tot en met {limit} tekens, bijvoorbeeld "Ada Lovelace"',
    ),
    "ui.error.display_name_control": (
        'display_name: leave out line breaks and control characters, for example "Ada Lovelace"',
        'display_name: laat regeleinden en stuurtekens weg, bijvoorbeeld "Ada Lovelace"',
    ),
    "ui.error.timezone": (
        'timezone: use an IANA time zone name, for example "Europe/Amsterdam"',
        'timezone: gebruik de IANA-naam van een tijdzone, bijvoorbeeld "Europe/Amsterdam"',
    ),
    "ui.error.locale": (
        "locale: use one of {locales}, for example {example}",
        "locale: gebruik een van {locales}, bijvoorbeeld {example}",
    ),
    # No-meeting windows, core hours and the meeting check (rituals/focus.py).
    "help.focus": (
        "No-meeting windows (managers set them, the team keeps them):\n"
        "`/ritme focus add wed 13:00-17:00 \"focus afternoon\"` — days (mon-fri, wed, mon,wed) and a time range in "
        "the team's zone; add `quiet` for no reminder, `zone Europe/Amsterdam` for another zone. As a window starts "
        "the channel gets one short reminder.\n"
        "`/ritme focus list` — the windows and core hours · `/ritme focus remove 3`\n"
        "`/ritme focus calendar` — a calendar feed of the team's windows, core hours and rituals for Outlook or "
        "Google Calendar · `/ritme focus calendar revoke` (managers) — a new link, the old one stops working\n"
        "Also: `/ritme core help` (core hours) and `/ritme meet-check help` (does a meeting slot suit everyone?).",
        "Vergadervrije blokken (managers stellen ze in, het team houdt zich eraan):\n"
        "`/ritme focus add wed 13:00-17:00 \"focusmiddag\"` — dagen (mon-fri, wed, mon,wed) en een tijdvak in de "
        "tijdzone van het team; zet er `quiet` achter voor geen herinnering, `zone Europe/Amsterdam` voor een andere "
        "zone. Als een blok begint, krijgt het kanaal één korte herinnering.\n"
        "`/ritme focus list` — de blokken en kerntijden · `/ritme focus remove 3`\n"
        "`/ritme focus calendar` — een agenda-abonnement met de blokken, kerntijden en rituelen van het team voor "
        "Outlook of Google Agenda · `/ritme focus calendar revoke` (managers) — een nieuwe link, de oude werkt niet "
        "meer\n"
        "Ook: `/ritme core help` (kerntijden) en `/ritme meet-check help` (past een vergadering iedereen?).",
    ),
    "help.core": (
        "Core hours: when everyone agrees to be reachable (managers set them):\n"
        "`/ritme core 10:00-12:00 14:00-16:00 [on mon-fri] [zone Europe/Amsterdam]` — replaces the team's core hours\n"
        "`/ritme core` — show them · `/ritme core off` — no core hours any more",
        "Kerntijden: wanneer iedereen bereikbaar wil zijn (managers stellen ze in):\n"
        "`/ritme core 10:00-12:00 14:00-16:00 [on mon-fri] [zone Europe/Amsterdam]` — vervangt de kerntijden van "
        "het team\n"
        "`/ritme core` — toon ze · `/ritme core off` — geen kerntijden meer",
    ),
    "help.meet-check": (
        "Meeting check (anyone): `/ritme meet-check tue 12:30 45m` — a weekday (the next one) or a date such as "
        "2026-12-08, a time in your zone and a length (30m, 1h, 1h30). I say whether it falls in a no-meeting window, "
        "outside core hours, or outside someone's working hours in their own zone, and suggest the nearest slots "
        "that fit everyone.",
        "Vergadercheck (iedereen): `/ritme meet-check tue 12:30 45m` — een weekdag (de eerstvolgende) of een datum "
        "zoals 2026-12-08, een tijd in jouw zone en een duur (30m, 1h, 1h30). Ik zeg of het in een vergadervrij blok "
        "valt, buiten de kerntijden, of buiten iemands werktijden in diens eigen zone, en stel de dichtstbijzijnde "
        "tijden voor die iedereen passen.",
    ),
    "error.focus_when": (
        "Say when the window is: days, then a time range, for example `{example}`.",
        "Zeg wanneer het blok is: dagen en dan een tijdvak, bijvoorbeeld `{example}`.",
    ),
    "error.focus_range": (
        "`{value}` is not a time range. Use start-end in 24-hour time, for example `{example}`.",
        "`{value}` is geen tijdvak. Gebruik begin-eind in 24-uurstijd, bijvoorbeeld `{example}`.",
    ),
    "error.focus_range_order": (
        "In `{value}` the end is not after the start (a range ends the same day). For example `{example}`.",
        "In `{value}` ligt het eind niet na het begin (een tijdvak eindigt dezelfde dag). Bijvoorbeeld `{example}`.",
    ),
    "error.focus_quote": (
        "The name has no closing quote. Put it between quotes, for example `{example}`.",
        "De naam mist het sluitende aanhalingsteken. Zet hem tussen aanhalingstekens, bijvoorbeeld `{example}`.",
    ),
    "error.focus_label_empty": (
        "The name between the quotes is empty. Leave it out or fill it in, for example `{example}`.",
        "De naam tussen de aanhalingstekens is leeg. Laat hem weg of vul hem in, bijvoorbeeld `{example}`.",
    ),
    "error.focus_label_long": (
        "That name is {length} characters; the limit is {limit}. Shorter works, for example `{example}`.",
        "Die naam is {length} tekens; de grens is {limit}. Korter werkt, bijvoorbeeld `{example}`.",
    ),
    "error.focus_repeated": (
        "`{option}` is given twice; give it once, for example `{example}`.",
        "`{option}` staat er twee keer; geef het één keer, bijvoorbeeld `{example}`.",
    ),
    "error.focus_option": (
        "I don't know `{word}` here. A name goes between quotes; after it only `quiet` or `zone` may follow, for "
        "example `{example}`.",
        "`{word}` ken ik hier niet. Een naam staat tussen aanhalingstekens; daarna mag alleen `quiet` of `zone` "
        "volgen, bijvoorbeeld `{example}`.",
    ),
    "error.focus_missing": (
        "`{option}` needs a value, for example `{example}`.",
        "`{option}` heeft een waarde nodig, bijvoorbeeld `{example}`.",
    ),
    "error.focus_extra": (
        "`{verb}` takes nothing after it, but I got `{value}`. For example `{example}`.",
        "Na `{verb}` hoort niets, maar er stond `{value}`. Bijvoorbeeld `{example}`.",
    ),
    "error.focus_id": (
        "`{value}` is not a window number. Use a number from `/ritme focus list`, for example `{example}`.",
        "`{value}` is geen bloknummer. Gebruik een nummer uit `/ritme focus list`, bijvoorbeeld `{example}`.",
    ),
    "error.no_focus": (
        "#{team} has no no-meeting windows to remove. A manager adds one with `{example}`.",
        "#{team} heeft geen vergadervrije blokken om te verwijderen. Een manager voegt er een toe met `{example}`.",
    ),
    "error.unknown_focus": (
        "#{team} has no no-meeting window #{id}; its windows are {ids}. For example `{example}`.",
        "#{team} heeft geen vergadervrij blok #{id}; de blokken zijn {ids}. Bijvoorbeeld `{example}`.",
    ),
    "error.core_overlap": (
        "The ranges in `{value}` overlap. Give ranges that do not, for example `{example}`.",
        "De tijdvakken in `{value}` overlappen. Geef tijdvakken die dat niet doen, bijvoorbeeld `{example}`.",
    ),
    "error.core_many": (
        "That is {count} ranges; core hours have at most {limit}. For example `{example}`.",
        "Dat zijn {count} tijdvakken; kerntijden hebben er hoogstens {limit}. Bijvoorbeeld `{example}`.",
    ),
    "error.core_option": (
        "I don't know `{word}` here. After the ranges only `on` (days) or `zone` may follow, for example "
        "`{example}`.",
        "`{word}` ken ik hier niet. Na de tijdvakken mag alleen `on` (dagen) of `zone` volgen, bijvoorbeeld "
        "`{example}`.",
    ),
    "error.no_core": (
        "#{team} has no core hours to turn off. A manager sets them with `{example}`.",
        "#{team} heeft geen kerntijden om uit te zetten. Een manager stelt ze in met `{example}`.",
    ),
    "error.meet_usage": (
        "`{value}` is not a meeting slot. Give a day or date, a time and a length, for example `{example}`.",
        "`{value}` is geen vergadertijd. Geef een dag of datum, een tijd en een duur, bijvoorbeeld `{example}`.",
    ),
    "error.meet_day": (
        "`{value}` is not a day. Use a weekday (mon-sun, the next one) or a date like 2026-12-08, for example "
        "`{example}`.",
        "`{value}` is geen dag. Gebruik een weekdag (mon-sun of ma-zo, de eerstvolgende) of een datum zoals "
        "2026-12-08, bijvoorbeeld `{example}`.",
    ),
    "error.meet_duration": (
        "`{value}` is not a meeting length. Use 5m to 8h, such as 30m, 1h or 1h30, for example `{example}`.",
        "`{value}` is geen vergaderduur. Gebruik 5m tot 8h, zoals 30m, 1h of 1h30, bijvoorbeeld `{example}`.",
    ),
    "error.meet_past": (
        "{date} has already passed. Pick today or later, for example `{example}`.",
        "{date} is al voorbij. Kies vandaag of later, bijvoorbeeld `{example}`.",
    ),
    "focus.default_name": ("No-meeting time", "Vergadervrije tijd"),
    "focus.created": (
        "No-meeting window #{id} for #{team}: {name}, {days} {start}-{end} ({zone}). {remind}",
        "Vergadervrij blok #{id} voor #{team}: {name}, {days} {start}-{end} ({zone}). {remind}",
    ),
    "focus.remind_on": (
        "The channel gets a short reminder as it starts.",
        "Het kanaal krijgt een korte herinnering als het begint.",
    ),
    "focus.remind_off": ("No reminder: it stays quiet.", "Geen herinnering: het blijft stil."),
    "focus.removed": (
        "No-meeting window #{id} is removed from #{team}.",
        "Vergadervrij blok #{id} is verwijderd uit #{team}.",
    ),
    "focus.list_header": ("No-meeting windows of #{team}:", "Vergadervrije blokken van #{team}:"),
    "focus.list_item": (
        "• #{id} {name}: {days} {start}-{end} ({zone}){quiet}",
        "• #{id} {name}: {days} {start}-{end} ({zone}){quiet}",
    ),
    "focus.quiet_note": (" · quiet, no reminder", " · stil, geen herinnering"),
    "focus.list_empty": (
        "#{team} has no no-meeting windows yet. A manager adds one with "
        "`/ritme focus add wed 13:00-17:00 \"focus afternoon\"`.",
        "#{team} heeft nog geen vergadervrije blokken. Een manager voegt er een toe met "
        "`/ritme focus add wed 13:00-17:00 \"focusmiddag\"`.",
    ),
    "focus.list_core": ("Core hours: {ranges} on {days} ({zone}).", "Kerntijden: {ranges} op {days} ({zone})."),
    "focus.list_no_core": (
        "No core hours yet (a manager sets them with `/ritme core 10:00-12:00 14:00-16:00`).",
        "Nog geen kerntijden (een manager stelt ze in met `/ritme core 10:00-12:00 14:00-16:00`).",
    ),
    "focus.overview_item": (
        "No-meeting window #{id}: {days} {start}-{end} ({zone}){quiet}",
        "Vergadervrij blok #{id}: {days} {start}-{end} ({zone}){quiet}",
    ),
    "focus.reminder": (
        "{name} starts now, until {until}: no meetings. Enjoy the quiet.",
        "{name} begint nu, tot {until}: geen vergaderingen. Geniet van de rust.",
    ),
    # The member's status during a no-meeting window (Slack, with their grant); plain text, at most 100 characters.
    "focus.status": ("{name} — no meetings", "{name} — geen vergaderingen"),
    "core.set": (
        "Core hours of #{team}: {ranges} on {days} ({zone}). Everyone can be reached then; `/ritme meet-check` "
        "keeps meetings inside them.",
        "Kerntijden van #{team}: {ranges} op {days} ({zone}). Dan is iedereen bereikbaar; `/ritme meet-check` "
        "houdt vergaderingen daarbinnen.",
    ),
    "core.show": (
        "Core hours of #{team}: {ranges} on {days} ({zone}).",
        "Kerntijden van #{team}: {ranges} op {days} ({zone}).",
    ),
    "core.none": (
        "#{team} has no core hours. A manager sets them with `/ritme core 10:00-12:00 14:00-16:00`.",
        "#{team} heeft geen kerntijden. Een manager stelt ze in met `/ritme core 10:00-12:00 14:00-16:00`.",
    ),
    "core.off": ("#{team} has no core hours any more.", "#{team} heeft geen kerntijden meer."),
    "core.overview_item": ("Core hours: {ranges} on {days} ({zone})", "Kerntijden: {ranges} op {days} ({zone})"),
    "meet.minutes": ("{minutes} min", "{minutes} min"),
    "meet.when": ("{date}, {start}-{end}", "{date}, {start}-{end}"),
    "meet.fits": (
        "{when} ({zone}, {duration}) fits: no no-meeting window, not outside core hours, and inside everyone's "
        "working hours.",
        "{when} ({zone}, {duration}) past: geen vergadervrij blok, niet buiten de kerntijden en binnen ieders "
        "werktijden.",
    ),
    "meet.no_fit": (
        "{when} ({zone}, {duration}) does not fit everyone:",
        "{when} ({zone}, {duration}) past niet voor iedereen:",
    ),
    "meet.in_window": (
        "• it falls in the no-meeting window {name} ({days} {start}-{end}, {zone})",
        "• het valt in het vergadervrije blok {name} ({days} {start}-{end}, {zone})",
    ),
    "meet.outside_core": (
        "• it is outside core hours ({ranges} on {days}, {zone})",
        "• het valt buiten de kerntijden ({ranges} op {days}, {zone})",
    ),
    "meet.clash_hours": (
        "• it is outside {name}'s working hours ({work_start}-{work_end}, {zone}): for them it is {day}, "
        "{time}-{end}",
        "• het valt buiten de werktijden van {name} ({work_start}-{work_end}, {zone}): voor hen is het {day}, "
        "{time}-{end}",
    ),
    "meet.clash_day": (
        "• {name} does not work on {day} ({time}-{end} for them, {zone})",
        "• {name} werkt niet op {day} ({time}-{end} voor hen, {zone})",
    ),
    "meet.clash_holiday": (
        "• it is a public holiday for {name} ({day}, {time}-{end} for them)",
        "• het is een feestdag voor {name} ({day}, {time}-{end} voor hen)",
    ),
    "meet.clash_away": (
        "• {name} is away then ({day}, {time}-{end} for them)",
        "• {name} is dan afwezig ({day}, {time}-{end} voor hen)",
    ),
    "meet.suggest": (
        "Nearest slots of {duration} that fit everyone (your time, {zone}):",
        "Dichtstbijzijnde tijden van {duration} die iedereen passen (jouw tijd, {zone}):",
    ),
    "meet.suggestion": ("• {when}", "• {when}"),
    "meet.no_suggestion": (
        "I found no slot of {duration} in the next 7 days that fits everyone.",
        "Ik vond in de komende 7 dagen geen tijd van {duration} die iedereen past.",
    ),

    # The right to disconnect (rituals/boundaries.py): a member's country, and why a message was held back.
    "error.country": (
        "`{value}` is not a country whose public holidays I know. Give its two-letter code, for example "
        "`{example}`, or `/ritme me country off` for the default.",
        "`{value}` is geen land waarvan ik de feestdagen ken. Geef de tweeletterige code, bijvoorbeeld "
        "`{example}`, of `/ritme me country off` voor de standaard.",
    ),
    "me.country_set": (
        "Done: on the public holidays of {country} I won't message you.",
        "Gedaan: op de feestdagen van {country} stuur ik je niets.",
    ),
    "me.country_off": (
        "Done: you keep the public holidays of {country} again, the default here.",
        "Gedaan: je houdt weer de feestdagen van {country} aan, de standaard hier.",
    ),
    "me.country_default": ("{country} (the default)", "{country} (de standaard)"),
    "home.settings.country": (
        "Public holidays of {country}: no messages then.",
        "Feestdagen van {country}: dan geen berichten.",
    ),
    "failure.kind.skipped": ("message held back", "bericht achtergehouden"),
    "failure.kind.gave_up": ("message given up on", "bericht opgegeven"),
    "boundary.away": ("they are away", "afwezig"),
    "boundary.holiday": ("a public holiday for them", "een feestdag voor deze persoon"),
    "boundary.day_off": ("not one of their working days", "geen werkdag van deze persoon"),
    "boundary.off_hours": ("outside their working hours", "buiten de werktijden van deze persoon"),
    # The virtual borrel (rituals/borrel.py).
    "borrel.name": ("borrel", "borrel"),
    "help.borrel": (
        "Virtual borrel (managers configure, everyone RSVPs):\n"
        "`/ritme borrel create fri 16:30 45m https://meet.example/borrel [theme \"Show your pet\"|theme rotate|"
        "theme off] [every 2w] [remind 10m] [invite 1d] [zone Europe/Amsterdam]`\n"
        "The invite goes to this channel on the day at 10:00 (or `invite 1d` to `6d` before) with join / maybe / not "
        "this time buttons and a live count. Who said join or maybe gets a reminder `remind` minutes before, at "
        "their own local time. Without a theme each borrel gets the next icebreaker question.\n"
        "`/ritme borrel list` · `/ritme borrel history` · `/ritme borrel cancel 1 [fri|2026-12-04]` · "
        "`/ritme borrel move 1 [fri] thu 17:00` · `/ritme borrel pause 1` · `/ritme borrel resume 1` · "
        "`/ritme borrel delete 1`; without a date, cancel and move mean the next borrel.",
        "Digitale borrel (managers stellen in, iedereen geeft aan of hij komt):\n"
        "`/ritme borrel create vr 16:30 45m https://meet.example/borrel [theme \"Laat je huisdier zien\"|theme "
        "rotate|theme off] [every 2w] [remind 10m] [invite 1d] [zone Europe/Amsterdam]`\n"
        "De uitnodiging komt op de dag om 10:00 in dit kanaal (of met `invite 1d` tot `6d` eerder), met knoppen "
        "ik doe mee / misschien / deze keer niet en een teller die meeloopt. Wie mee doet of misschien komt, krijgt "
        "`remind` minuten vooraf een herinnering, in de eigen tijd. Zonder thema krijgt elke borrel de volgende "
        "ijsbrekervraag.\n"
        "`/ritme borrel list` · `/ritme borrel history` · `/ritme borrel cancel 1 [vr|2026-12-04]` · "
        "`/ritme borrel move 1 [vr] do 17:00` · `/ritme borrel pause 1` · `/ritme borrel resume 1` · "
        "`/ritme borrel delete 1`; zonder datum bedoelen cancel en move de volgende borrel.",
    ),
    "error.borrel_when": (
        "Say the day and start time, for example `{example}`.",
        "Geef de dag en begintijd, bijvoorbeeld `{example}`.",
    ),
    "error.borrel_day": (
        "`{value}` is not a day. Use mon, tue, wed, thu, fri, sat or sun, for example `{example}`.",
        "`{value}` is geen dag. Gebruik ma, di, wo, do, vr, za, zo (of mon-sun), bijvoorbeeld `{example}`.",
    ),
    "error.borrel_minutes": (
        "`{value}` is not a borrel length. Use {low} to {high} minutes, for example `45m` or `1h`.",
        "`{value}` is geen lengte voor een borrel. Gebruik {low} tot {high} minuten, bijvoorbeeld `45m` of `1u`.",
    ),
    "error.borrel_remind": (
        "`{value}` is not a reminder lead. Use {low} to {high} minutes before the start, for example `remind 10m`.",
        "`{value}` is geen herinneringstijd. Gebruik {low} tot {high} minuten voor het begin, bijvoorbeeld "
        "`remind 10m`.",
    ),
    "error.borrel_every": (
        "`{value}` is not a repeat. Use 1w to 4w, for example `every 2w`.",
        "`{value}` is geen herhaling. Gebruik 1w tot 4w, bijvoorbeeld `every 2w`.",
    ),
    "error.borrel_invite": (
        "`{value}` is not an invite lead. Use 0d to 6d before the borrel, for example `invite 1d`.",
        "`{value}` is geen uitnodigingstermijn. Gebruik 0d tot 6d voor de borrel, bijvoorbeeld `invite 1d`.",
    ),
    "error.borrel_option": (
        "I don't know `{word}` here. The options are theme, every, remind, invite and zone, for example "
        "`{example}`.",
        "`{word}` ken ik hier niet. De opties zijn theme, every, remind, invite en zone, bijvoorbeeld `{example}`.",
    ),
    "error.borrel_repeated": (
        "`{option}` is given twice; give it once, for example `{example}`.",
        "`{option}` staat er twee keer; geef het één keer, bijvoorbeeld `{example}`.",
    ),
    "error.borrel_missing": (
        "`{option}` needs a value, for example `{example}`.",
        "`{option}` heeft een waarde nodig, bijvoorbeeld `{example}`.",
    ),
    "error.borrel_no_link": (
        "A borrel needs a meeting link (Teams, Meet, Jitsi, Zoom...), for example `{example}`.",
        "Een borrel heeft een vergaderlink nodig (Teams, Meet, Jitsi, Zoom...), bijvoorbeeld `{example}`.",
    ),
    "error.borrel_link": (
        "`{value}` is not a meeting link: use a web address starting with https://, for example `{example}`.",
        "`{value}` is geen vergaderlink: gebruik een webadres dat begint met https://, bijvoorbeeld `{example}`.",
    ),
    "error.borrel_link_long": (
        "That link is {length} characters long; the limit is {limit}. A shorter one works, for example `{example}`.",
        "Die link is {length} tekens lang; de grens is {limit}. Een kortere werkt, bijvoorbeeld `{example}`.",
    ),
    "error.borrel_theme_empty": (
        "The theme is empty. Put it in quotes, for example `{example}`.",
        "Het thema is leeg. Zet het tussen aanhalingstekens, bijvoorbeeld `{example}`.",
    ),
    "error.borrel_theme_long": (
        "A theme of {length} characters is too long; the limit is {limit}. For example `{example}`.",
        "Een thema van {length} tekens is te lang; de grens is {limit}. Bijvoorbeeld `{example}`.",
    ),
    "error.borrel_id": (
        "`{value}` is not a borrel number. Use one from `/ritme borrel list`, for example `/ritme borrel {verb} 1`.",
        "`{value}` is geen borrelnummer. Gebruik er een uit `/ritme borrel list`, bijvoorbeeld "
        "`/ritme borrel {verb} 1`.",
    ),
    "error.borrel_extra": (
        "I don't understand `{value}` there. For example `{example}`.",
        "`{value}` begrijp ik daar niet. Bijvoorbeeld `{example}`.",
    ),
    "error.borrel_date": (
        "`{value}` is not a date or day. Use YYYY-MM-DD or a day such as fri, for example `{example}`.",
        "`{value}` is geen datum of dag. Gebruik JJJJ-MM-DD of een dag zoals vr, bijvoorbeeld `{example}`.",
    ),
    "error.borrel_move": (
        "Say which borrel moves where: `{value}` is not that. For example `{example}`.",
        "Zeg welke borrel waarheen gaat: `{value}` is dat niet. Bijvoorbeeld `{example}`.",
    ),
    "error.borrel_move_past": (
        "{date} {at} has already passed; move the borrel to a later moment, for example `{example}`.",
        "{date} {at} is al voorbij; verplaats de borrel naar een later moment, bijvoorbeeld `{example}`.",
    ),
    "error.borrel_no_date": (
        "Borrel {id} has no borrel on {date}. The next one is on {example}, for example "
        "`/ritme borrel cancel {id} {example}`.",
        "Borrel {id} heeft geen borrel op {date}. De volgende is op {example}, bijvoorbeeld "
        "`/ritme borrel cancel {id} {example}`.",
    ),
    "error.borrel_none_ahead": (
        "Borrel {id} has nothing planned ahead. Resume it or make a new one, for example `{example}`.",
        "Borrel {id} heeft niets gepland. Hervat hem of maak een nieuwe, bijvoorbeeld `{example}`.",
    ),
    "error.borrel_cancelled": (
        "The borrel of {date} (borrel {id}) is already cancelled or over. See `/ritme borrel list`.",
        "De borrel van {date} (borrel {id}) is al afgezegd of voorbij. Zie `/ritme borrel list`.",
    ),
    "error.no_borrel": (
        "#{team} has no borrel yet. Create one with `{example}`.",
        "#{team} heeft nog geen borrel. Maak er een met `{example}`.",
    ),
    "error.which_borrel": (
        "#{team} has several borrels; say which one, for example `/ritme borrel {verb} {example}`. "
        "`/ritme borrel list` shows them.",
        "#{team} heeft meerdere borrels; zeg welke, bijvoorbeeld `/ritme borrel {verb} {example}`. "
        "`/ritme borrel list` toont ze.",
    ),
    "error.unknown_borrel": (
        "#{team} has no borrel {id}; it has {ids}. For example `/ritme borrel {verb} {example}`.",
        "#{team} heeft geen borrel {id}; wel {ids}. Bijvoorbeeld `/ritme borrel {verb} {example}`.",
    ),
    "borrel.created": (
        "Borrel {id} for #{team}: {every} on {day}, {start}–{end} ({zone}); {theme}. The invite comes {invite}; "
        "a reminder {remind} minutes before to whoever joins.",
        "Borrel {id} voor #{team}: {every} op {day}, {start}–{end} ({zone}); {theme}. De uitnodiging komt {invite}; "
        "een herinnering {remind} minuten vooraf voor wie meedoet.",
    ),
    "borrel.created_next": ("The first one is on {date}.", "De eerste is op {date}."),
    "borrel.link_label": ("Link: ", "Link: "),
    "borrel.theme_label": ("Theme: ", "Thema: "),
    "borrel.icebreaker_label": ("Icebreaker: ", "IJsbreker: "),
    "borrel.theme.rotate": ("a new icebreaker each time", "elke keer een nieuwe ijsbreker"),
    "borrel.theme.off": ("no theme", "geen thema"),
    "borrel.theme.fixed": ("theme \"{theme}\"", "thema \"{theme}\""),
    "borrel.every.1": ("every week", "elke week"),
    "borrel.every.2": ("every other week", "om de week"),
    "borrel.every.3": ("every three weeks", "om de drie weken"),
    "borrel.every.4": ("every four weeks", "om de vier weken"),
    "borrel.invite.same_day": ("that day at 10:00", "die dag om 10:00"),
    "borrel.invite.days": ("{days} day(s) before at 10:00", "{days} dag(en) vooraf om 10:00"),
    "borrel.list_empty": (
        "#{team} has no borrel yet. Create one with `/ritme borrel create fri 16:30 45m https://meet.example/borrel`.",
        "#{team} heeft nog geen borrel. Maak er een met `/ritme borrel create vr 16:30 45m "
        "https://meet.example/borrel`.",
    ),
    "borrel.list_header": ("Borrels of #{team}:", "Borrels van #{team}:"),
    "borrel.list_item": (
        "{id}. {every} on {day}, {start}–{end} ({zone}); {theme}; next: {next}{paused}",
        "{id}. {every} op {day}, {start}–{end} ({zone}); {theme}; volgende: {next}{paused}",
    ),
    "borrel.overview_item": ("{id}. borrel {day} {start}–{end} ({zone})", "{id}. borrel {day} {start}–{end} ({zone})"),
    "borrel.paused": ("Borrel {id} is paused: no invites until you resume it.",
                      "Borrel {id} is gepauzeerd: geen uitnodigingen tot je hem hervat."),
    "borrel.resumed": ("Borrel {id} is running again.", "Borrel {id} loopt weer."),
    "borrel.deleted": ("Borrel {id} is deleted; its history stays.", "Borrel {id} is verwijderd; de historie blijft."),
    "borrel.invite_title": ("🍻 Virtual borrel of #{team}", "🍻 Digitale borrel van #{team}"),
    "borrel.invite_when": ("{date}, {start}–{end} ({zone})", "{date}, {start}–{end} ({zone})"),
    "borrel.counts": (
        "Joining: {joined} · maybe: {maybe} · not this time: {no}",
        "Doen mee: {joined} · misschien: {maybe} · deze keer niet: {no}",
    ),
    "borrel.moved_from": ("Moved from {date} {time}.", "Verplaatst van {date} {time}."),
    "borrel.state.cancelled": ("This borrel is cancelled.", "Deze borrel gaat niet door."),
    "borrel.state.ended": (
        "This borrel has ended. Thanks for coming!", "Deze borrel is voorbij. Bedankt voor je komst!"
    ),
    "borrel.button.join": ("Join", "Ik doe mee"),
    "borrel.button.maybe": ("Maybe", "Misschien"),
    "borrel.button.no": ("Not this time", "Deze keer niet"),
    "borrel.rsvp.join": (
        "You're in for the borrel of #{team}: {date} at {time} your time ({zone}). I'll remind you {minutes} "
        "minutes before.",
        "Je doet mee met de borrel van #{team}: {date} om {time} jouw tijd ({zone}). Ik herinner je {minutes} "
        "minuten vooraf.",
    ),
    "borrel.rsvp.maybe": (
        "Maybe it is, for the borrel of #{team}: {date} at {time} your time ({zone}). I'll remind you {minutes} "
        "minutes before.",
        "Misschien dus, voor de borrel van #{team}: {date} om {time} jouw tijd ({zone}). Ik herinner je {minutes} "
        "minuten vooraf.",
    ),
    "borrel.rsvp.no": (
        "Noted: not this time ({date}). No reminder; you can still change your mind on the invite.",
        "Genoteerd: deze keer niet ({date}). Geen herinnering; op de uitnodiging kun je nog van gedachten veranderen.",
    ),
    "borrel.rsvp_closed": ("The borrel of {date} is over; see you at the next one.",
                           "De borrel van {date} is voorbij; tot de volgende."),
    "borrel.rsvp_cancelled": ("The borrel of {date} is cancelled, so there is nothing to answer.",
                              "De borrel van {date} gaat niet door, dus er valt niets te beantwoorden."),
    "borrel.reminder": (
        "🍻 The borrel of #{team} starts in {minutes} minutes: {time} your time ({zone}), {date}.",
        "🍻 De borrel van #{team} begint over {minutes} minuten: {time} jouw tijd ({zone}), {date}.",
    ),
    "borrel.cancelled": (
        "The borrel of #{team} on {date} at {time} your time is cancelled. See you next time!",
        "De borrel van #{team} op {date} om {time} jouw tijd gaat niet door. Tot de volgende keer!",
    ),
    "borrel.moved": (
        "The borrel of #{team} has moved: now {date} at {time} your time ({zone}).",
        "De borrel van #{team} is verplaatst: nu {date} om {time} jouw tijd ({zone}).",
    ),
    "borrel.cancel_done": (
        "The borrel of {date} (borrel {id}) is cancelled; told everyone who said join or maybe: {count}.",
        "De borrel van {date} (borrel {id}) gaat niet door; ingelicht wie mee zou doen of misschien: {count}.",
    ),
    "borrel.move_done": (
        "The borrel of {old} (borrel {id}) now starts {date} at {at} ({zone}).",
        "De borrel van {old} (borrel {id}) begint nu {date} om {at} ({zone}).",
    ),
    "borrel.history_empty": ("Borrel {id} has no past borrels yet.", "Borrel {id} heeft nog geen borrels gehad."),
    "borrel.history_header": ("Recent borrels of #{team} (borrel {id}):", "Recente borrels van #{team} (borrel {id}):"),
    "borrel.history_line": (
        "{date}: joined {joined}, maybe {maybe}, not this time {no}",
        "{date}: mee {joined}, misschien {maybe}, deze keer niet {no}",
    ),
    "borrel.history_cancelled": ("{date}: cancelled", "{date}: afgezegd"),
    "borrel.icebreaker.1": ("What was the best thing you ate this week?", "Wat was het lekkerste dat je deze week at?"),
    "borrel.icebreaker.2": ("Show one object on your desk and tell its story.",
                            "Laat één ding op je bureau zien en vertel het verhaal erachter."),
    "borrel.icebreaker.3": ("What small thing made you happy lately?", "Van welk klein ding werd je laatst blij?"),
    "borrel.icebreaker.4": ("Which place would you love to work from for a week?",
                            "Vanaf welke plek zou je best een week willen werken?"),
    "borrel.icebreaker.5": ("What did you want to be when you were ten?", "Wat wilde je worden toen je tien was?"),
    "borrel.icebreaker.6": ("Which song is stuck in your head?", "Welk liedje zit in je hoofd?"),
    "borrel.icebreaker.7": ("What is a skill you would like to learn?", "Welke vaardigheid zou je willen leren?"),
    "borrel.icebreaker.8": ("Best tip for a rainy weekend?", "Beste tip voor een regenachtig weekend?"),
    "borrel.icebreaker.9": ("Which app or tool could you not live without?",
                            "Zonder welke app of welk hulpmiddel kun je niet?"),
    "borrel.icebreaker.10": ("What are you looking forward to this month?", "Waar kijk je deze maand naar uit?"),

    # Coffee machine and coffee pairing (rituals/coffee.py).
    "coffee.name": ("coffee", "koffie"),
    "error.coffee_extra": (
        "`{value}` after `coffee {verb}` is more than I understand; nothing was changed. For example `{example}`.",
        "`{value}` na `coffee {verb}` begrijp ik niet; er is niets veranderd. Bijvoorbeeld `{example}`.",
    ),
    "error.coffee_link": (
        "`{value}` is not a meeting link. Give a web address that starts with https:// and is at most {limit} "
        "characters, for example `{example}`.",
        "`{value}` is geen vergaderlink. Geef een webadres dat met https:// begint en hoogstens {limit} tekens "
        "is, bijvoorbeeld `{example}`.",
    ),
    "error.coffee_machine_when": (
        "Give the coffee machine's link and when it opens and closes, for example `{example}`.",
        "Geef de link van de koffieautomaat en wanneer hij open- en dichtgaat, bijvoorbeeld `{example}`.",
    ),
    "error.coffee_until": (
        "The coffee machine would close at {until}, which is not after it opens at {at}. For example `{example}`.",
        "De koffieautomaat zou om {until} sluiten, en dat is niet na de opening om {at}. Bijvoorbeeld `{example}`.",
    ),
    "error.coffee_when": (
        "Say on which day and at what time a coffee round starts, for example `{example}`.",
        "Zeg op welke dag en hoe laat een koffieronde begint, bijvoorbeeld `{example}`.",
    ),
    "error.coffee_day": (
        "`{value}` is not a day. Use mon, tue, wed, thu, fri, sat or sun, for example `{example}`.",
        "`{value}` is geen dag. Gebruik mon, tue, wed, thu, fri, sat of sun, bijvoorbeeld `{example}`.",
    ),
    "error.coffee_option": (
        "I don't know the option `{word}`. The options are enrol, memory, follow-up and overlap, for example "
        "`{example}`.",
        "De optie `{word}` ken ik niet. De opties zijn enrol, memory, follow-up en overlap, bijvoorbeeld "
        "`{example}`.",
    ),
    "error.coffee_repeated": (
        "`{option}` is given twice; give each option once, for example `{example}`.",
        "`{option}` staat er twee keer; geef elke optie één keer, bijvoorbeeld `{example}`.",
    ),
    "error.coffee_missing": (
        "`{option}` needs a value, for example `{example}`.",
        "`{option}` heeft een waarde nodig, bijvoorbeeld `{example}`.",
    ),
    "error.coffee_enrol": (
        "`{value}` is not a way to take part. Use all (everyone in the channel) or optin (only who joins), for "
        "example `{example}`.",
        "`{value}` is geen manier van meedoen. Gebruik all (iedereen in het kanaal) of optin (alleen wie zich "
        "aanmeldt), bijvoorbeeld `{example}`.",
    ),
    "error.coffee_memory": (
        "`{value}` is not a number of rounds to remember. Use a whole number from 0 to 52 ({default} when you leave "
        "it out), for example `{example}`.",
        "`{value}` is geen aantal rondes om te onthouden. Gebruik een heel getal van 0 tot 52 ({default} als je "
        "het weglaat), bijvoorbeeld `{example}`.",
    ),
    "error.coffee_follow_up": (
        "`{value}` is not a follow-up delay. Use 1d to 6d, for example `{example}`.",
        "`{value}` is geen wachttijd voor de navraag. Gebruik 1d tot 6d, bijvoorbeeld `{example}`.",
    ),
    "error.coffee_overlap": (
        "`{value}` is not a minimum of shared working time. Use 15m to 8h, for example `{example}`.",
        "`{value}` is geen minimum aan gedeelde werktijd. Gebruik 15m tot 8h, bijvoorbeeld `{example}`.",
    ),
    "error.no_coffee": (
        "#{team} has no coffee pairing yet. A manager can start one, for example `{example}`.",
        "#{team} heeft nog geen koffiekoppels. Een manager kan ze starten, bijvoorbeeld `{example}`.",
    ),
    "error.coffee_exists": (
        "#{team} already has a coffee pairing; a channel has one. To change it, `/ritme coffee delete` it first, "
        "then for example `{example}`.",
        "#{team} heeft al koffiekoppels; een kanaal heeft er één. Om iets te veranderen: eerst "
        "`/ritme coffee delete`, dan bijvoorbeeld `{example}`.",
    ),
    "error.no_coffee_machine": (
        "#{team} has no coffee machine to turn off. Open one, for example `{example}`.",
        "#{team} heeft geen koffieautomaat om uit te zetten. Zet er een neer, bijvoorbeeld `{example}`.",
    ),
    "error.coffee_not_in": (
        "You are not taking part in the coffee pairing of #{team}, so there is no round to skip. Join with "
        "`/ritme coffee join`.",
        "Je doet niet mee met de koffiekoppels van #{team}, dus er is geen ronde om over te slaan. Doe mee met "
        "`/ritme coffee join`.",
    ),
    "coffee.machine_set": (
        "The coffee machine of #{team} opens {days} at {at} until {until} ({zone}); I'll post its link in the "
        "channel then.",
        "De koffieautomaat van #{team} gaat {days} om {at} open tot {until} ({zone}); ik zet de link dan in het "
        "kanaal.",
    ),
    "coffee.machine_off": ("The coffee machine of #{team} is off.", "De koffieautomaat van #{team} staat uit."),
    "coffee.machine_open": (
        "☕ The coffee machine is open until {until}. Drop in for a chat: {link}",
        "☕ De koffieautomaat is open tot {until}. Schuif aan voor een praatje: {link}",
    ),
    "coffee.machine_item": (
        "{id}. coffee machine: {days} {at}-{until} ({zone}){paused}",
        "{id}. koffieautomaat: {days} {at}-{until} ({zone}){paused}",
    ),
    "coffee.pairing_item": (
        "{id}. coffee pairing: {frequency} on {days} at {at} ({zone}){paused}",
        "{id}. koffiekoppels: {frequency} op {days} om {at} ({zone}){paused}",
    ),
    "coffee.weekly": ("every week", "elke week"),
    "coffee.biweekly": ("every two weeks", "om de week"),
    "coffee.enrol_all": (
        "everyone in this channel takes part unless they `/ritme coffee leave`",
        "iedereen in dit kanaal doet mee, tenzij je `/ritme coffee leave` typt",
    ),
    "coffee.enrol_optin": (
        "people take part once they `/ritme coffee join`",
        "wie wil doet mee met `/ritme coffee join`",
    ),
    "coffee.created": (
        "Coffee pairing for #{team}: {frequency} on {day} at {at} ({zone}); {enrol}. Groups avoid anyone met in "
        "the last {memory} rounds, share at least {overlap} of working time, and are asked after {follow_up} days "
        "whether they met. First round: {next}.",
        "Koffiekoppels voor #{team}: {frequency} op {day} om {at} ({zone}); {enrol}. Groepjes vermijden wie je de "
        "laatste {memory} rondes sprak, delen minstens {overlap} werktijd, en krijgen na {follow_up} dagen de "
        "vraag of ze elkaar gesproken hebben. Eerste ronde: {next}.",
    ),
    "coffee.paused": ("The coffee pairing of #{team} is paused.", "De koffiekoppels van #{team} zijn gepauzeerd."),
    "coffee.resumed": ("The coffee pairing of #{team} is running again.", "De koffiekoppels van #{team} lopen weer."),
    "coffee.deleted": ("The coffee pairing of #{team} is deleted.", "De koffiekoppels van #{team} zijn verwijderd."),
    "coffee.joined": (
        "You're in the coffee pairing of #{team}. Next round: {next}.",
        "Je doet mee met de koffiekoppels van #{team}. Volgende ronde: {next}.",
    ),
    "coffee.left": (
        "You left the coffee pairing of #{team}; `/ritme coffee join` brings you back.",
        "Je doet niet meer mee met de koffiekoppels van #{team}; met `/ritme coffee join` ben je er weer bij.",
    ),
    "coffee.skipping": (
        "You'll sit out the round of {next} in #{team}; after that you're back.",
        "Je slaat de ronde van {next} in #{team} over; daarna ben je er weer bij.",
    ),
    "coffee.list": (
        "Coffee pairing of #{team}: {frequency} on {day} at {at} ({zone}){paused}. Next round: {next}.",
        "Koffiekoppels van #{team}: {frequency} op {day} om {at} ({zone}){paused}. Volgende ronde: {next}.",
    ),
    "coffee.paused_note": (", paused", ", gepauzeerd"),
    "coffee.list_members": ("Taking part ({count}): {names}.", "Doen mee ({count}): {names}."),
    "coffee.list_nobody": (
        "Nobody takes part yet: `/ritme coffee join`.",
        "Nog niemand doet mee: `/ritme coffee join`.",
    ),
    "coffee.list_skipping": ("Sitting out the next round: {names}.", "Slaan de volgende ronde over: {names}."),
    "coffee.stats": (
        "Coffee pairing of #{team}: rounds: {rounds}, groups: {groups}.\n"
        "Met: {met} of the {asked} groups asked ({rate}).\n"
        "Cross-team connections: {cross} ({cross_met} of them met).",
        "Koffiekoppels van #{team}: rondes: {rounds}, groepjes: {groups}.\n"
        "Gesproken: {met} van de {asked} gevraagde groepjes ({rate}).\n"
        "Contacten tussen teams: {cross} (waarvan {cross_met} gesproken).",
    ),
    "coffee.stats_none": (
        "The coffee pairing of #{team} has had no rounds yet; the first is {next}.",
        "De koffiekoppels van #{team} hebben nog geen ronde gehad; de eerste is {next}.",
    ),
    "coffee.why": (
        "On {date} you were paired with {names}. Paired because: {reasons}.",
        "Op {date} werd je gekoppeld aan {names}. Gekoppeld omdat: {reasons}.",
    ),
    "coffee.why_alone": (
        "No match for you on {date}, because {reason}.",
        "Geen koppel voor jou op {date}, omdat {reason}.",
    ),
    "coffee.why_none": (
        "You were not in the latest coffee round of #{team}. `/ritme coffee list` shows the next one.",
        "Je zat niet in de laatste koffieronde van #{team}. `/ritme coffee list` toont de volgende.",
    ),
    "coffee.why.never": ("never met", "nooit eerder gesproken"),
    "coffee.why.last_round": ("met last round", "vorige ronde gesproken"),
    "coffee.why.last_met": ("last met {rounds} rounds ago", "laatst gesproken {rounds} rondes geleden"),
    "coffee.why.shared": ("{hours} shared working time", "{hours} gedeelde werktijd"),
    "coffee.why.cross": ("different teams", "verschillende teams"),
    "coffee.why.same": ("the same team", "hetzelfde team"),
    "coffee.hours": ("{hours} h", "{hours} uur"),
    "coffee.minutes": ("{minutes} min", "{minutes} min"),
    "coffee.reason.alone": (
        "you were the only one taking part this round",
        "jij de enige was die deze ronde meedeed",
    ),
    "coffee.reason.overlap": (
        "nobody else this round shares at least {overlap} of working time with you",
        "niemand anders deze ronde minstens {overlap} werktijd met je deelt",
    ),
    "coffee.reason.odd": (
        "there was one person too many to make a group with someone new",
        "er één persoon te veel was om een groepje met iemand nieuws te maken",
    ),
    "coffee.unmatched": (
        "No coffee match for you in #{team} this round, because {reason}. Nothing to do: you're in again next "
        "round.",
        "Geen koffiekoppel voor jou in #{team} deze ronde, omdat {reason}. Je hoeft niets te doen: volgende ronde "
        "doe je weer mee.",
    ),
    "coffee.intro": (
        "☕ Coffee time in #{team}! {names}: you're this round's coffee group. Find half an hour in the "
        "{shared} of working time you share this week.\n"
        "Why you: {reasons}.\n"
        "Icebreaker: {icebreaker}",
        "☕ Koffietijd in #{team}! {names}: jullie zijn deze ronde een koffiegroepje. Zoek een halfuurtje in de "
        "{shared} werktijd die jullie deze week delen.\n"
        "Waarom jullie: {reasons}.\n"
        "IJsbreker: {icebreaker}",
    ),
    "coffee.icebreaker.1": ("What did you have for breakfast today?", "Wat heb je vandaag ontbeten?"),
    "coffee.icebreaker.2": (
        "What does the view from your desk look like?",
        "Hoe ziet het uitzicht vanaf je bureau eruit?",
    ),
    "coffee.icebreaker.3": (
        "Which small thing made your week better?",
        "Welk klein ding maakte je week beter?",
    ),
    "coffee.icebreaker.4": (
        "What would you do with an extra free day this week?",
        "Wat zou je doen met een extra vrije dag deze week?",
    ),
    "coffee.icebreaker.5": (
        "Which skill would you like to learn from a colleague?",
        "Welke vaardigheid zou je van een collega willen leren?",
    ),
    "coffee.icebreaker.6": (
        "What was your first job, and what did it teach you?",
        "Wat was je eerste baantje, en wat leerde je daarvan?",
    ),
    "coffee.icebreaker.7": (
        "Which book, series or podcast would you recommend right now?",
        "Welk boek, welke serie of podcast raad je nu aan?",
    ),
    "coffee.icebreaker.8": (
        "What does a good working day look like for you?",
        "Hoe ziet een goede werkdag er voor jou uit?",
    ),
    "coffee.icebreaker.9": (
        "Where would you work from for a month if you could pick anywhere?",
        "Waarvandaan zou je een maand werken als je overal mocht kiezen?",
    ),
    "coffee.icebreaker.10": (
        "What is something about you that surprises people?",
        "Wat is iets over jou waar mensen van opkijken?",
    ),
    "coffee.follow_up": (
        "☕ Did you meet for your coffee from #{team}, {names}?",
        "☕ Hebben jullie elkaar gesproken voor de koffie uit #{team}, {names}?",
    ),
    "coffee.met_yes": ("Yes, we met", "Ja, gesproken"),
    "coffee.met_no": ("Not this time", "Deze keer niet"),
    "coffee.met_thanks_yes": (
        "Noted: you met. Thanks, and see you next round!",
        "Genoteerd: jullie hebben elkaar gesproken. Dank je, tot de volgende ronde!",
    ),
    "coffee.met_thanks_no": (
        "Noted: not this time. The next round brings a new chance.",
        "Genoteerd: deze keer niet. De volgende ronde is een nieuwe kans.",
    ),
    "help.coffee": (
        "Coffee machine and coffee pairing (managers set up, everyone takes part):\n"
        "`/ritme coffee machine https://meet.example/koffie at 09:30 until 10:30 on mon-fri` — post an always-open "
        "room's link daily · `/ritme coffee machine off`\n"
        "`/ritme coffee create [weekly|biweekly] [on] mon [at] 10:00 [enrol all|optin] [memory 12] [follow-up 3d] "
        "[overlap 1h]` — pairs (or one trio) who have not met lately, from different teams where possible, who "
        "share working time; introduced privately with an icebreaker, asked a few days later whether they met.\n"
        "`/ritme coffee join` · `/ritme coffee leave` · `/ritme coffee skip` (the next round only) · "
        "`/ritme coffee list` · `/ritme coffee stats` · `/ritme coffee why` (why your group)\n"
        "`/ritme coffee pause` · `/ritme coffee resume` · `/ritme coffee delete`",
        "Koffieautomaat en koffiekoppels (managers stellen in, iedereen doet mee):\n"
        "`/ritme coffee machine https://meet.example/koffie at 09:30 until 10:30 on mon-fri` — zet dagelijks de "
        "link van een altijd-open ruimte in het kanaal · `/ritme coffee machine off`\n"
        "`/ritme coffee create [weekly|biweekly] [on] mon [at] 10:00 [enrol all|optin] [memory 12] [follow-up 3d] "
        "[overlap 1h]` — koppels (of één drietal) die elkaar een tijd niet spraken, uit verschillende teams waar "
        "dat kan, met gedeelde werktijd; privé voorgesteld met een ijsbreker, en een paar dagen later gevraagd of "
        "ze elkaar spraken.\n"
        "`/ritme coffee join` · `/ritme coffee leave` · `/ritme coffee skip` (alleen de volgende ronde) · "
        "`/ritme coffee list` · `/ritme coffee stats` · `/ritme coffee why` (waarom je groepje)\n"
        "`/ritme coffee pause` · `/ritme coffee resume` · `/ritme coffee delete`",
    ),
    # The team calendar feed (rituals/calendar.py).
    "calendar.link": (
        "The calendar of #{team}, with its no-meeting windows, core hours and ritual times. Subscribe to it in "
        "Outlook or Google Calendar (\"add calendar from URL\"):\n{url}\nKeep the link within the team: anyone "
        "who has it can read this calendar. A manager can replace it with `/ritme focus calendar revoke`.",
        "De agenda van #{team}, met de vergadervrije blokken, kernuren en tijden van de rituelen. Abonneer je erop "
        "in Outlook of Google Agenda (\"agenda toevoegen via URL\"):\n{url}\nHoud de link binnen het team: wie "
        "hem heeft, kan deze agenda lezen. Een manager vervangt hem met `/ritme focus calendar revoke`.",
    ),
    "calendar.revoked": (
        "The old calendar link of #{team} no longer works. The new one, to share with the team again:\n{url}",
        "De oude agendalink van #{team} werkt niet meer. De nieuwe, om opnieuw met het team te delen:\n{url}",
    ),
    "error.calendar_extra": (
        "`{value}` after `focus calendar` is more than I understand; nothing was changed. For example "
        "`/ritme focus calendar` (the link) or `/ritme focus calendar revoke` (a new link, managers).",
        "`{value}` na `focus calendar` begrijp ik niet; er is niets veranderd. Bijvoorbeeld `/ritme focus calendar` "
        "(de link) of `/ritme focus calendar revoke` (een nieuwe link, voor managers).",
    ),
    "calendar.name": ("#{team} (Ritme)", "#{team} (Ritme)"),
    "calendar.focus": ("No meetings", "Geen vergaderingen"),
    "calendar.focus_label": ("No meetings: {label}", "Geen vergaderingen: {label}"),
    "calendar.focus_category": ("No-meeting window", "Vergadervrij blok"),
    "calendar.core": ("Core hours", "Kernuren"),
    "calendar.core_category": ("Core hours", "Kernuren"),
    "calendar.standup": ("Stand-up (Ritme)", "Stand-up (Ritme)"),
    "calendar.pulse": ("Wellbeing pulse opens", "Welzijnspeiling gaat open"),
    "calendar.borrel": ("Virtual borrel", "Virtuele borrel"),
    "calendar.borrel_theme": ("Virtual borrel: {theme}", "Virtuele borrel: {theme}"),
    "calendar.coffee_machine": ("Coffee machine open", "Koffieautomaat open"),
    "calendar.coffee": ("Coffee pairing: new pairs", "Koffiekoppels: nieuwe koppels"),
    "calendar.ritual_category": ("Team ritual", "Teamritueel"),
    "calendar.join": ("Join: {link}", "Meedoen: {link}"),
    # Fewer, calmer private messages: combined in one tick, at most a few a day (rituals/pacing.py).
    "pacing.combined": ("A few things from Ritme:", "Een paar dingen van Ritme:"),
    "boundary.capped": (
        "their daily number of messages from Ritme was reached",
        "het dagelijkse aantal berichten van Ritme voor deze persoon was bereikt",
    ),
    # A digest, reminder or invitation its platform could not take in time (rituals/retries.py).
    "boundary.expired": (
        "the platform could not take it while it was still current, though Ritme kept trying",
        "het platform kon het niet aannemen zolang het nog actueel was, hoewel Ritme het bleef proberen",
    ),
    # The audit log (rituals/audit.py): `/ritme manager audit`, for managers.
    "error.audit_extra": (
        "`{value}` after `manager audit` is more than I understand; nothing was changed. For example "
        "`/ritme manager audit`.",
        "`{value}` na `manager audit` begrijp ik niet; er is niets veranderd. Bijvoorbeeld `/ritme manager audit`.",
    ),
    "audit.none": (
        "No configuration changes of #{team} are recorded yet.",
        "Er zijn nog geen wijzigingen in de instellingen van #{team} vastgelegd.",
    ),
    "audit.header": (
        "The last {count} configuration changes of #{team}, newest first:",
        "De laatste {count} wijzigingen in de instellingen van #{team}, nieuwste eerst:",
    ),
    "audit.item": ("{when} · {who} · {action} ({source}): {detail}", "{when} · {who} · {action} ({source}): {detail}"),
    "audit.when": ("{day} {time}", "{day} {time}"),
    "audit.erased": ("a member since erased", "een inmiddels gewist lid"),
    "audit.source.chat": ("chat", "chat"),
    "audit.source.web": ("dashboard", "dashboard"),
    # Dashboard charts
    "chart.filter.range": (
        "The start date {since} is after the end date {until}; nothing was filtered. Put the earlier date first, "
        "for example from 2026-11-01 to 2026-11-30.",
        "De begindatum {since} ligt na de einddatum {until}; er is niets gefilterd. Zet de vroegste datum eerst, "
        "bijvoorbeeld van 2026-11-01 tot 2026-11-30.",
    ),
    "chart.filter.search_long": (
        "The search text is {length} characters long; the limit is {limit}. A word or two works, for example "
        "“staging”.",
        "De zoektekst is {length} tekens lang; de grens is {limit}. Een woord of twee werkt, bijvoorbeeld "
        "“staging”.",
    ),
    "chart.filter.page": (
        "That page does not exist: a page shows 1 to {limit} stand-ups and starts at 0 or later, for example the "
        "first page of 20.",
        "Die pagina bestaat niet: een pagina toont 1 tot {limit} stand-ups en begint bij 0 of later, bijvoorbeeld "
        "de eerste pagina van 20.",
    ),
    "chart.filter.rounds": (
        "A trend covers 1 to {limit} rounds, for example the last 12.",
        "Een trend beslaat 1 tot {limit} rondes, bijvoorbeeld de laatste 12.",
    ),
    "chart.month.1": ("Jan", "jan"),
    "chart.month.2": ("Feb", "feb"),
    "chart.month.3": ("Mar", "mrt"),
    "chart.month.4": ("Apr", "apr"),
    "chart.month.5": ("May", "mei"),
    "chart.month.6": ("Jun", "jun"),
    "chart.month.7": ("Jul", "jul"),
    "chart.month.8": ("Aug", "aug"),
    "chart.month.9": ("Sep", "sep"),
    "chart.month.10": ("Oct", "okt"),
    "chart.month.11": ("Nov", "nov"),
    "chart.month.12": ("Dec", "dec"),
    "chart.day": ("{day} {month}", "{day} {month}"),
    "chart.month": ("{month} {year}", "{month} {year}"),
    "chart.week": ("Week {week}", "Week {week}"),
    "chart.empty": ("Nothing to show yet.", "Nog niets te tonen."),
    "chart.trend.title": ("{question}: average per round", "{question}: gemiddelde per ronde"),
    "chart.trend.month_title": ("{question}: average per month", "{question}: gemiddelde per maand"),
    "chart.trend.desc": (
        "Average answer on a scale of 1 to 5, {shown} of {count} shown. A point shows from {k} answers; the others "
        "are gaps, marked with an open circle, so nobody's answer can be picked out.",
        "Gemiddeld antwoord op een schaal van 1 tot 5, {shown} van de {count} getoond. Een punt verschijnt vanaf {k} "
        "antwoorden; de andere zijn gaten, gemarkeerd met een open cirkel, zodat niemands antwoord te herleiden is.",
    ),
    "chart.trend.lower_better": (
        "On this question a lower score is better.",
        "Bij deze vraag is een lagere score beter.",
    ),
    "chart.point": ("{label}: average {average} from {n} answers", "{label}: gemiddeld {average} uit {n} antwoorden"),
    "chart.point.month": (
        "{label}: average {average} from {n} answers in {rounds} rounds",
        "{label}: gemiddeld {average} uit {n} antwoorden in {rounds} rondes",
    ),
    "chart.point.left_out": (
        "{count} rounds of this month had too few answers and are not in it.",
        "{count} rondes van deze maand hadden te weinig antwoorden en tellen niet mee.",
    ),
    "chart.gap": ("{label}: not shown. {reason}", "{label}: niet getoond. {reason}"),
    "chart.legend.gap": ("Open circle: not shown, too few answers", "Open cirkel: niet getoond, te weinig antwoorden"),
    "chart.legend.nobody": ("Open circle: nobody was asked", "Open cirkel: niemand gevraagd"),
    "chart.legend.cancelled": ("Open circle: cancelled", "Open cirkel: afgelast"),
    "chart.legend.unasked": ("Open circle: not asked yet", "Open cirkel: nog niet gevraagd"),
    "chart.axis.average": ("Average (1-5)", "Gemiddelde (1-5)"),
    "chart.axis.share": ("Share", "Aandeel"),
    "chart.kind.standup": ("stand-ups", "stand-ups"),
    "chart.kind.pulse": ("wellbeing pulse", "welzijnspeiling"),
    "chart.participation.title": ("Participation per week: {kind}", "Deelname per week: {kind}"),
    "chart.participation.desc": (
        "Share of the people asked who answered, per week, over {count} weeks.",
        "Aandeel van de gevraagde mensen dat antwoordde, per week, over {count} weken.",
    ),
    "chart.bar.rate": (
        "{label}: {percent}% ({answered} of {prompted} answered)",
        "{label}: {percent}% ({answered} van de {prompted} antwoordden)",
    ),
    "chart.bar.nobody": ("{label}: nobody was asked", "{label}: niemand gevraagd"),
    "chart.attendance.title": ("Borrel attendance", "Opkomst borrels"),
    "chart.attendance.desc": (
        "Share of the team's members who said they would join, per borrel, over {count} borrels.",
        "Aandeel van de teamleden dat zei mee te doen, per borrel, over {count} borrels.",
    ),
    "chart.bar.attendance": (
        "{label}: {joined} joining, {maybe} maybe, {declined} not joining, of {invited} invited ({percent}%)",
        "{label}: {joined} doen mee, {maybe} misschien, {declined} niet, van de {invited} uitgenodigd ({percent}%)",
    ),
    "chart.bar.cancelled": ("{label}: cancelled", "{label}: afgelast"),
    "chart.coffee.title": ("Coffee pairings: groups that met", "Koffiekoppels: groepen die elkaar spraken"),
    "chart.coffee.desc": (
        "Share of the groups asked “did you meet?” that said yes, per round, over {count} rounds.",
        "Aandeel van de groepen die “hebben jullie elkaar gesproken?” kregen en ja zeiden, per ronde, over {count} "
        "rondes.",
    ),
    "chart.bar.coffee": (
        "{label}: {met} of {asked} groups met ({percent}%); {groups} groups, {unmatched} not matched",
        "{label}: {met} van de {asked} groepen spraken elkaar ({percent}%); {groups} groepen, {unmatched} niet "
        "gekoppeld",
    ),
    "chart.bar.coffee_unasked": (
        "{label}: {groups} groups, not asked yet whether they met",
        "{label}: {groups} groepen, nog niet gevraagd of ze elkaar spraken",
    ),
    "chart.col.when": ("When", "Wanneer"),
    "chart.col.detail": ("Details", "Toelichting"),
    "chart.not_shown": ("not shown", "niet getoond"),
    # The web dashboard (rituals/dashboard.py, bot/dashboard/): the chat's link, then every word of its pages.
    "dashboard.link": (
        "Your sign-in link to the Ritme dashboard. It works once, for {minutes} minutes; keep it to yourself:\n{url}",
        "Je inloglink voor het Ritme-dashboard. Hij werkt één keer, {minutes} minuten lang; deel hem met niemand:\n"
        "{url}",
    ),
    "dashboard.link_sent": (
        "I sent you a sign-in link for the dashboard in a direct message.",
        "Ik heb je een inloglink voor het dashboard gestuurd in een privébericht.",
    ),
    "error.dashboard_extra": (
        "`dashboard` takes nothing after it, but got `{value}`. Type just `/ritme dashboard`.",
        "Na `dashboard` hoort niets, maar er stond `{value}`. Typ alleen `/ritme dashboard`.",
    ),
    "web.title": ("Ritme dashboard", "Ritme-dashboard"),
    "web.skip": ("Skip to content", "Naar de inhoud"),
    "web.nav.label": ("Dashboard", "Dashboard"),
    "web.nav.teams": ("My teams", "Mijn teams"),
    "web.nav.me": ("My settings", "Mijn instellingen"),
    "web.nav.sign_out": ("Sign out", "Uitloggen"),
    "web.signed_in_as": ("Signed in as {name}", "Ingelogd als {name}"),
    "web.signin.refused_title": ("This sign-in link does not work", "Deze inloglink werkt niet"),
    "web.signin.unknown": (
        "Ritme does not know this link: it may have been cut off when it was copied, or it is older than a day.",
        "Ritme kent deze link niet: misschien is hij bij het kopiëren afgebroken, of hij is ouder dan een dag.",
    ),
    "web.signin.used": (
        "This link was used already. Each link signs in once, so nobody else can use it after you.",
        "Deze link is al gebruikt. Elke link logt één keer in, zodat niemand hem na jou kan gebruiken.",
    ),
    "web.signin.expired": (
        "This link has expired: a sign-in link works for {minutes} minutes.",
        "Deze link is verlopen: een inloglink werkt {minutes} minuten.",
    ),
    "web.signin.confirm_title": ("Sign in to Ritme", "Inloggen bij Ritme"),
    "web.signin.confirm": (
        "This link signs you in as {name}, once. Not you? Close this page.",
        "Met deze link log je één keer in als {name}. Ben jij dat niet? Sluit deze pagina dan.",
    ),
    "web.signin.button": ("Sign in", "Inloggen"),
    "web.signin.how": (
        "For a new link, type `/ritme dashboard` in Slack, Teams or the Ritme chat; Ritme sends it to you privately.",
        "Voor een nieuwe link typ je `/ritme dashboard` in Slack, Teams of de Ritme-chat; Ritme stuurt hem je "
        "privé.",
    ),
    "web.signin.needed_title": ("Please sign in", "Log eerst in"),
    "web.signin.needed": (
        "The dashboard opens with a personal link, or your session has ended.",
        "Het dashboard opent met een persoonlijke link, of je sessie is afgelopen.",
    ),
    "web.signed_out_title": ("You are signed out", "Je bent uitgelogd"),
    "web.signed_out": (
        "You are signed out of the dashboard on this browser.",
        "Je bent in deze browser uitgelogd van het dashboard.",
    ),
    "web.csrf_title": ("This form was not accepted", "Dit formulier is niet aangenomen"),
    "web.csrf": (
        "It lacked its security check or came from an old page, so nothing was changed. Open the page again and "
        "retry.",
        "De veiligheidscontrole ontbrak of het kwam van een oude pagina, dus er is niets gewijzigd. Open de pagina "
        "opnieuw en probeer het nog eens.",
    ),
    "web.cross_site": (
        "This request came from another website, so Ritme refused it and nothing was changed. Use Ritme's own pages "
        "at {example}.",
        "Dit verzoek kwam van een andere website, dus Ritme heeft het geweigerd en er is niets gewijzigd. Gebruik "
        "Ritme's eigen pagina's op {example}.",
    ),
    "web.too_large": (
        "This request is too large: Ritme takes at most {limit} kB at once, so nothing was changed. Send less, for "
        "example a stand-up answer of a few lines.",
        "Dit verzoek is te groot: Ritme neemt hoogstens {limit} kB tegelijk aan, dus er is niets gewijzigd. Stuur "
        "minder, bijvoorbeeld een stand-up-antwoord van een paar regels.",
    ),
    "web.forbidden_title": ("No access", "Geen toegang"),
    "web.forbidden": (
        "Only the managers of a team can open its page. A manager can make you one with "
        "`/ritme manager add <your name>` in the team's channel.",
        "Alleen de managers van een team kunnen de pagina ervan openen. Een manager kan je manager maken met "
        "`/ritme manager add <jouw naam>` in het kanaal van het team.",
    ),
    "web.not_found_title": ("Not found", "Niet gevonden"),
    "web.not_found": ("There is no such team or ritual here.", "Dat team of ritueel bestaat hier niet."),
    "web.back": ("Back to my teams", "Terug naar mijn teams"),
    "web.home.managed": ("Teams you manage", "Teams die je beheert"),
    "web.home.member": ("Teams you are in", "Teams waar je in zit"),
    "web.home.none": (
        "You are not in a team yet. Ritme adds you once you use it in a team's channel.",
        "Je zit nog niet in een team. Ritme voegt je toe zodra je het in het kanaal van een team gebruikt.",
    ),
    "web.home.overview": ("overview and settings", "overzicht en instellingen"),
    "web.home.rituals": ("My rituals", "Mijn rituelen"),
    "web.home.rituals_zone": ("Times are on your own clock ({zone}).", "Tijden op je eigen klok ({zone})."),
    "web.home.no_rituals": ("No rituals in this team yet.", "Nog geen rituelen in dit team."),
    "web.team.title": ("Team #{team}", "Team #{team}"),
    "web.team.people": ("People", "Mensen"),
    "web.team.managers": ("Managers: {names}", "Managers: {names}"),
    "web.team.members": ("Members ({count}): {names}", "Leden ({count}): {names}"),
    "web.team.rituals": ("Rituals", "Rituelen"),
    "web.team.no_rituals": (
        "No rituals yet. Start one in the team's channel, for example `/ritme standup create at 09:30`.",
        "Nog geen rituelen. Begin er een in het kanaal van het team, bijvoorbeeld `/ritme standup create at 09:30`.",
    ),
    "web.team.paused": ("Paused", "Gepauzeerd"),
    "web.team.running": ("Running", "Actief"),
    "web.team.next_run": ("Next: {moment} ({zone})", "Volgende keer: {moment} ({zone})"),
    "web.team.never": ("No next run while it is paused", "Geen volgende keer zolang het gepauzeerd is"),
    "web.kind.standup": ("Stand-up", "Stand-up"),
    "web.kind.pulse": ("Wellbeing pulse", "Welzijnspeiling"),
    "web.kind.borrel": ("Virtual borrel", "Virtuele borrel"),
    "web.kind.coffee_machine": ("Coffee machine", "Koffieautomaat"),
    "web.kind.coffee": ("Coffee pairing", "Koffiekoppels"),
    "web.kind.focus": ("No-meeting window", "Vergadervrij blok"),
    "web.kind.core_hours": ("Core hours", "Kernuren"),
    "web.standup.at": ("Time (HH:MM, for example 09:30)", "Tijd (UU:MM, bijvoorbeeld 09:30)"),
    "web.standup.days": (
        "Days (for example mon-fri or mon,wed,fri)",
        "Dagen (bijvoorbeeld mon-fri of mon,wed,fri)",
    ),
    "web.standup.save": ("Save stand-up {id}", "Stand-up {id} opslaan"),
    "web.standup.saved": (
        "Saved: stand-up {id} is now on {days} at {at}, digest at {digest}. Prompts not sent yet follow at once.",
        "Opgeslagen: stand-up {id} is nu op {days} om {at}, overzicht om {digest}. Vragen die nog niet verstuurd "
        "zijn, schuiven meteen mee.",
    ),
    "web.form.refused": ("Nothing was changed. Please fix:", "Er is niets gewijzigd. Pas dit aan:"),
    "web.field.at": ("Time", "Tijd"),
    "web.field.days": ("Days", "Dagen"),
    "web.field.timezone": ("Time zone", "Tijdzone"),
    "web.field.hours": ("Working hours", "Werktijden"),
    "web.field.language": ("Language", "Taal"),
    "web.field.country": ("Public holidays", "Feestdagen"),
    "web.field.away_until": ("Away until", "Afwezig tot"),
    "web.me.title": ("My settings", "Mijn instellingen"),
    "web.me.intro": (
        "Ritme messages you only on your working days, within your hours, and not on public holidays or while you "
        "are away.",
        "Ritme stuurt je alleen berichten op je werkdagen, binnen je werktijden, en niet op feestdagen of als je "
        "afwezig bent.",
    ),
    "web.me.timezone": ("Time zone (for example Europe/Amsterdam)", "Tijdzone (bijvoorbeeld Europe/Amsterdam)"),
    "web.me.hours": ("Working hours (for example 08:30-17:00)", "Werktijden (bijvoorbeeld 08:30-17:00)"),
    "web.me.days": ("Working days (for example mon-fri)", "Werkdagen (bijvoorbeeld mon-fri)"),
    "web.me.language": ("Language", "Taal"),
    "web.me.country": (
        "Public holidays of (a two-letter country code such as NL; empty for the default, {country})",
        "Feestdagen van (een landcode van twee letters zoals NL; leeg voor de standaard, {country})",
    ),
    "web.me.away": ("Away until (empty when you are not away)", "Afwezig tot (leeg als je niet afwezig bent)"),
    "web.me.save": ("Save my settings", "Mijn instellingen opslaan"),
    "web.me.saved": ("Your settings are saved.", "Je instellingen zijn opgeslagen."),
    # Dashboard report pages
    "web.report.nav.label": ("Team pages", "Teampagina's"),
    "web.report.nav.overview": ("Overview", "Overzicht"),
    "web.report.nav.standups": ("Stand-ups", "Stand-ups"),
    "web.report.nav.participation": ("Participation", "Deelname"),
    "web.report.nav.pulse": ("Pulse", "Welzijn"),
    "web.report.nav.social": ("Borrels & coffee", "Borrels & koffie"),
    "web.report.nav.audit": ("Audit log", "Auditlog"),
    "web.report.table": ("The same figures as a table", "Dezelfde cijfers als tabel"),
    "web.report.standups.title": ("Stand-ups of #{team}", "Stand-ups van #{team}"),
    "web.report.standups.filter": ("Filter the history", "Geschiedenis filteren"),
    "web.report.standups.search": (
        "Words in the answers (for example staging)",
        "Woorden in de antwoorden (bijvoorbeeld staging)",
    ),
    "web.report.standups.from": ("From (for example 2026-11-01)", "Vanaf (bijvoorbeeld 2026-11-01)"),
    "web.report.standups.to": ("Up to and including (for example 2026-11-30)",
                               "Tot en met (bijvoorbeeld 2026-11-30)"),
    "web.report.standups.apply": ("Show", "Toon"),
    "web.report.standups.clear": ("Show all stand-ups", "Toon alle stand-ups"),
    "web.report.standups.refused": (
        "This filter was not used, so all stand-ups show. Please fix:",
        "Dit filter is niet gebruikt, dus alle stand-ups staan hieronder. Pas dit aan:",
    ),
    "web.report.standups.bad_date": (
        "`{value}` is not a date; write it as year-month-day, for example 2026-11-23.",
        "`{value}` is geen datum; schrijf hem als jaar-maand-dag, bijvoorbeeld 2026-11-23.",
    ),
    "web.report.standups.bad_page": (
        "`{value}` is not a page number; pages count from 1, for example 2.",
        "`{value}` is geen paginanummer; pagina's tellen vanaf 1, bijvoorbeeld 2.",
    ),
    "web.report.standups.none": (
        "No stand-ups yet: the history starts once a stand-up has had answers or its digest.",
        "Nog geen stand-ups: de geschiedenis begint zodra een stand-up antwoorden of een overzicht heeft gehad.",
    ),
    "web.report.standups.none_found": (
        "No stand-up matches this filter. Try fewer words or a wider range of dates.",
        "Geen stand-up past bij dit filter. Probeer minder woorden of een ruimere periode.",
    ),
    "web.report.standups.found": ("Stand-ups found", "Gevonden stand-ups"),
    "web.report.standups.day": ("{date} · {ritual}", "{date} · {ritual}"),
    "web.report.standups.answered": ("{answered} of {prompted} answered", "{answered} van de {prompted} antwoordden"),
    "web.report.standups.blockers": ("{count} with a blocker", "{count} met een blokkade"),
    "web.report.standups.blocker": ("Blocker", "Blokkade"),
    "web.report.standups.late": ("late", "te laat"),
    "web.report.standups.pages": ("More stand-ups", "Meer stand-ups"),
    "web.report.standups.newer": ("Newer stand-ups", "Nieuwere stand-ups"),
    "web.report.standups.older": ("Older stand-ups", "Oudere stand-ups"),
    "web.report.standups.page": ("Page {number}", "Pagina {number}"),
    "web.report.participation.title": ("Participation in #{team}", "Deelname in #{team}"),
    "web.report.participation.intro": (
        "The last {weeks} weeks, {since} to {until}: per week, the share of the people asked who answered.",
        "De laatste {weeks} weken, {since} tot en met {until}: per week het aandeel van de gevraagde mensen dat "
        "antwoordde.",
    ),
    "web.report.participation.none": (
        "Nobody was asked anything in these weeks.",
        "In deze weken is niemand iets gevraagd.",
    ),
    "web.report.pulse.title": ("Wellbeing pulse of #{team}", "Welzijnspeiling van #{team}"),
    "web.report.pulse.intro": (
        "Averages per question over the last rounds, on a scale of 1 to 5. A figure shows only when enough "
        "people answered that nobody's answer can be picked out; otherwise the page says why it is not shown.",
        "Gemiddelden per vraag over de laatste rondes, op een schaal van 1 tot 5. Een cijfer verschijnt alleen als "
        "genoeg mensen antwoordden dat niemands antwoord te herleiden is; anders staat erbij waarom het ontbreekt.",
    ),
    "web.report.pulse.ritual": (
        "Pulse {id}: figures show from {k} answers",
        "Peiling {id}: cijfers vanaf {k} antwoorden",
    ),
    "web.report.pulse.none": (
        "#{team} has no pulse yet. Create one in the team's channel with `/ritme pulse create weekly fri 14:00`.",
        "#{team} heeft nog geen welzijnscheck. Maak er een in het teamkanaal met "
        "`/ritme pulse create weekly fri 14:00`.",
    ),
    "web.report.pulse.no_rounds": (
        "No round of this pulse has closed yet; its figures show here after the first one closes.",
        "Er is nog geen ronde van deze peiling gesloten; de cijfers verschijnen hier als de eerste sluit.",
    ),
    "web.report.social.title": ("Borrels and coffee in #{team}", "Borrels en koffie in #{team}"),
    "web.report.social.borrels": ("Borrels", "Borrels"),
    "web.report.social.coffee": ("Coffee pairings", "Koffiekoppels"),
    "web.report.social.no_borrels": (
        "No borrel has been announced yet. Plan one with `/ritme borrel create fri 16:30 45m "
        "https://meet.example/borrel`.",
        "Er is nog geen borrel aangekondigd. Plan er een met `/ritme borrel create vr 16:30 45m "
        "https://meet.example/borrel`.",
    ),
    "web.report.social.no_coffee": (
        "No coffee-pairing round yet. Start them with `/ritme coffee create weekly mon 10:00`.",
        "Nog geen ronde koffiekoppels. Begin ermee met `/ritme coffee create weekly mon 10:00`.",
    ),
    # Dashboard audit and my-data pages
    "web.audit.action.standup.create": ("Stand-up set up", "Stand-up aangemaakt"),
    "web.audit.action.standup.time": ("Stand-up time changed", "Tijd van de stand-up gewijzigd"),
    "web.audit.action.standup.pause": ("Stand-up paused", "Stand-up gepauzeerd"),
    "web.audit.action.standup.resume": ("Stand-up resumed", "Stand-up hervat"),
    "web.audit.action.standup.delete": ("Stand-up deleted", "Stand-up verwijderd"),
    "web.audit.action.standup.run": ("Stand-up started by hand", "Stand-up met de hand gestart"),
    "web.audit.action.standup.digest": ("Stand-up digest posted by hand", "Stand-upoverzicht met de hand geplaatst"),
    "web.audit.action.pulse.create": ("Wellbeing pulse set up", "Welzijnspeiling aangemaakt"),
    "web.audit.action.pulse.pause": ("Wellbeing pulse paused", "Welzijnspeiling gepauzeerd"),
    "web.audit.action.pulse.resume": ("Wellbeing pulse resumed", "Welzijnspeiling hervat"),
    "web.audit.action.pulse.delete": ("Wellbeing pulse deleted", "Welzijnspeiling verwijderd"),
    "web.audit.action.borrel.create": ("Borrel set up", "Borrel aangemaakt"),
    "web.audit.action.borrel.cancel": ("One borrel cancelled", "Eén borrel afgezegd"),
    "web.audit.action.borrel.move": ("One borrel moved", "Eén borrel verplaatst"),
    "web.audit.action.borrel.pause": ("Borrel paused", "Borrel gepauzeerd"),
    "web.audit.action.borrel.resume": ("Borrel resumed", "Borrel hervat"),
    "web.audit.action.borrel.delete": ("Borrel deleted", "Borrel verwijderd"),
    "web.audit.action.coffee.create": ("Coffee pairing set up", "Koffiekoppels aangemaakt"),
    "web.audit.action.coffee.pause": ("Coffee pairing paused", "Koffiekoppels gepauzeerd"),
    "web.audit.action.coffee.resume": ("Coffee pairing resumed", "Koffiekoppels hervat"),
    "web.audit.action.coffee.delete": ("Coffee pairing deleted", "Koffiekoppels verwijderd"),
    "web.audit.action.coffee.machine": ("Coffee machine set up", "Koffieautomaat ingesteld"),
    "web.audit.action.coffee.machine_off": ("Coffee machine turned off", "Koffieautomaat uitgezet"),
    "web.audit.action.manager.add": ("Manager added", "Manager toegevoegd"),
    "web.audit.action.focus.add": ("No-meeting window added", "Vergadervrij blok toegevoegd"),
    "web.audit.action.focus.remove": ("No-meeting window removed", "Vergadervrij blok verwijderd"),
    "web.audit.action.core.set": ("Core hours set", "Kernuren ingesteld"),
    "web.audit.action.core.off": ("Core hours turned off", "Kernuren uitgezet"),
    "web.audit.action.calendar.revoke": ("Calendar link replaced", "Agendalink vervangen"),
    "web.audit.detail.ritual": ("{kind} {id}: time {at}, days {days}", "{kind} {id}: tijd {at}, dagen {days}"),
    "web.audit.when": ("{date} {year}, {time}", "{date} {year}, {time}"),
    "web.audit.title": ("Audit log of #{team}", "Auditlog van #{team}"),
    "web.audit.intro": (
        "Every change to this team's rituals, made in chat or on this dashboard, newest first. Times are in {zone}.",
        "Elke wijziging aan de rituelen van dit team, in de chat of op dit dashboard, de nieuwste eerst. Tijden "
        "staan in {zone}.",
    ),
    "web.audit.none": ("No changes have been recorded for this team yet.",
                       "Er zijn voor dit team nog geen wijzigingen vastgelegd."),
    "web.audit.when_head": ("When", "Wanneer"),
    "web.audit.who_head": ("Who", "Wie"),
    "web.audit.source_head": ("Where", "Waar"),
    "web.audit.what_head": ("What", "Wat"),
    "web.audit.older": ("Older changes", "Oudere wijzigingen"),
    "web.audit.newest": ("Back to the newest changes", "Terug naar de nieuwste wijzigingen"),
    "web.audit.back": ("Back to the team", "Terug naar het team"),
    "web.data.link": ("My data: download or erase everything Ritme keeps about you",
                      "Mijn gegevens: download of wis alles wat Ritme over je bewaart"),
    "web.data.title": ("My data", "Mijn gegevens"),
    "web.data.intro": ("This is what Ritme keeps about you:", "Dit bewaart Ritme over jou:"),
    "web.data.kept.profile": (
        "your profile: your name, time zone, language, working hours and days, away dates and public holidays",
        "je profiel: je naam, tijdzone, taal, werktijden en werkdagen, afwezigheid en feestdagen",
    ),
    "web.data.kept.teams": ("the teams you are in, and your role in each: {count}",
                            "de teams waar je in zit, en je rol in elk: {count}"),
    "web.data.kept.answers": ("your stand-up answers, with their date and questions: {count}",
                              "je stand-up-antwoorden, met hun datum en vragen: {count}"),
    "web.data.kept.deliveries": ("delivery records (which prompt was sent to you, and when): {count}",
                                 "verzendgegevens (welke vraag je kreeg, en wanneer): {count}"),
    "web.data.kept.social": ("your borrel replies and coffee pairings (how many others were in a group, not who)",
                             "je borrelreacties en koffiekoppels (met hoeveel anderen, niet wie)"),
    "web.data.kept.pulse": (
        "which pulse rounds you answered while they were open, never your scores: pulse answers are anonymous",
        "welke peilingen je beantwoordde zolang ze open waren, nooit je scores: peilingantwoorden zijn anoniem",
    ),
    "web.data.kept.audit": ("changes you made to a team's rituals, in its audit log: {count}",
                            "wijzigingen die je aan de rituelen van een team maakte, in het auditlog: {count}"),
    "web.data.kept.sessions": ("your sign-in links and dashboard sessions (never their secrets)",
                               "je inloglinks en dashboardsessies (nooit hun geheimen)"),
    "web.data.download_title": ("Download my data", "Mijn gegevens downloaden"),
    "web.data.download_intro": ("One JSON file with all of the above, about you and nobody else.",
                                "Eén JSON-bestand met al het bovenstaande, over jou en niemand anders."),
    "web.data.download": ("Download my data (JSON)", "Mijn gegevens downloaden (JSON)"),
    "web.data.erase_title": ("Erase me", "Wis mij"),
    "web.data.erase_goes": (
        "Erasing removes at once and for good: your profile, your stand-up answers, your delivery records, your "
        "borrel replies and coffee pairings, your place in your teams, and your sign-in links and sessions. You "
        "are signed out.",
        "Wissen verwijdert meteen en voorgoed: je profiel, je stand-up-antwoorden, je verzendgegevens, je "
        "borrelreacties en koffiekoppels, je plek in je teams, en je inloglinks en sessies. Je wordt uitgelogd.",
    ),
    "web.data.erase_stays": (
        "What stays: anonymous pulse answers, because nothing links them to you, so nobody can find them. The "
        "audit log keeps the changes you made, without your name. Rituals you set up keep running for their team.",
        "Wat blijft: anonieme peilingantwoorden, want niets koppelt ze aan jou, dus niemand kan ze terugvinden. "
        "Het auditlog houdt de wijzigingen die je maakte, zonder je naam. Rituelen die je opzette lopen door voor "
        "hun team.",
    ),
    "web.data.erase_again": (
        "If you use Ritme in chat again afterwards, it starts a new, empty profile for you.",
        "Gebruik je Ritme daarna weer in de chat, dan begint het een nieuw, leeg profiel voor je.",
    ),
    "web.data.confirm": ("I understand that this erases my data for good; it cannot be undone.",
                         "Ik begrijp dat dit mijn gegevens voorgoed wist; het kan niet ongedaan worden gemaakt."),
    "web.data.erase": ("Erase me", "Wis mij"),
    "web.data.confirm_needed": (
        "Nothing was erased: tick the box that you understand, then press Erase me.",
        "Er is niets gewist: vink het vakje aan dat je het begrijpt en druk dan op Wis mij.",
    ),
    "web.data.erased_title": ("You are erased", "Je bent gewist"),
    "web.data.erased": (
        "Ritme has erased your profile, your stand-up answers and your delivery records, and signed you out.",
        "Ritme heeft je profiel, je stand-up-antwoorden en je verzendgegevens gewist, en je uitgelogd.",
    ),
    "web.data.erased_stays": (
        "Anonymous pulse answers stay, as nothing links them to you.",
        "Anonieme peilingantwoorden blijven, omdat niets ze aan jou koppelt.",
    ),
    # Dashboard ritual settings
    "web.audit.action.standup.settings": ("Stand-up settings changed", "Instellingen van de stand-up gewijzigd"),
    "web.audit.action.pulse.time": ("Wellbeing pulse day and time changed",
                                     "Dag en tijd van de welzijnspeiling gewijzigd"),
    "web.audit.detail.paused": ("{kind} {id} paused", "{kind} {id} gepauzeerd"),
    "web.audit.detail.resumed": ("{kind} {id} resumed", "{kind} {id} hervat"),
    "web.audit.detail.digest": (", digest {digest}", ", overzicht {digest}"),
    "web.audit.detail.remind": (", reminder {remind}", ", herinnering {remind}"),
    "web.remind.off": ("off", "uit"),
    "web.remind.after": ("{minutes} min", "{minutes} min"),
    "web.ritual.pause": ("Pause {kind} {id}", "{kind} {id} pauzeren"),
    "web.ritual.resume": ("Resume {kind} {id}", "{kind} {id} hervatten"),
    "web.ritual.paused": (
        "{kind} {id} is paused: nobody is asked or invited until you resume it.",
        "{kind} {id} is gepauzeerd: niemand wordt gevraagd of uitgenodigd tot je het hervat.",
    ),
    "web.ritual.resumed": ("{kind} {id} runs again.", "{kind} {id} loopt weer."),
    "web.standup.settings": ("Change stand-up {id}", "Stand-up {id} wijzigen"),
    "web.standup.digest": ("Digest time (HH:MM, for example 11:00)",
                           "Tijd van het overzicht (UU:MM, bijvoorbeeld 11:00)"),
    "web.standup.remind": (
        "Reminder: off, or how long after the question (5m to 12h, for example 30m or 1h)",
        "Herinnering: uit (off), of hoe lang na de vraag (5m tot 12h, bijvoorbeeld 30m of 1h)",
    ),
    "web.standup.digest_note": (
        "Leave the digest time as it is and it moves with the stand-up, staying {minutes} minutes after it.",
        "Laat je de tijd van het overzicht staan, dan schuift die mee en blijft {minutes} minuten na de stand-up.",
    ),
    "web.standup.saved_remind": ("Reminder: {remind}.", "Herinnering: {remind}."),
    "web.pulse.change": ("Change when pulse {id} opens", "Wijzigen wanneer peiling {id} opent"),
    "web.pulse.day": ("Day (mon to sun, for example fri)", "Dag (mon tot sun, bijvoorbeeld fri)"),
    "web.pulse.at": ("Time (HH:MM, for example 14:00)", "Tijd (UU:MM, bijvoorbeeld 14:00)"),
    "web.pulse.save": ("Save pulse {id}", "Peiling {id} opslaan"),
    "web.pulse.saved": (
        "Saved: pulse {id} now opens on {day} at {at}. Chat shows the same.",
        "Opgeslagen: peiling {id} opent nu op {day} om {at}. De chat toont hetzelfde.",
    ),
    "web.field.digest": ("Digest time", "Tijd van het overzicht"),
    "web.field.remind": ("Reminder", "Herinnering"),
    "web.field.day": ("Day", "Dag"),
}

_WEEKDAY_SHORT = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
}
_WEEKDAY_LONG = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
}
_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
}

# Answers to the blocker question that mean "none", in either language, so the digest highlights only real
# blockers: a whole phrase, or a "no" word followed only by filler ("no blockers so far", "geen blokkades hoor").
NO_BLOCKER_PHRASES = frozenset({"-", "n/a", "na", "all good", "alles goed", "all clear", "nothing", "niets", "niks",
                                "not really", "niet echt", "nope", "none", "no", "nee", "geen", "not today"})
NO_BLOCKER_WORDS = frozenset({"no", "nope", "none", "nothing", "nee", "geen", "niets", "niks", "n/a", "nah"})
NO_BLOCKER_FILLER = frozenset({
    "blockers", "blocker", "blocks", "issues", "issue", "problems", "problem", "worries", "so", "far", "thanks",
    "all", "good", "right", "now", "today", "really", "at", "the", "moment", "for", "me", "i", "think",
    "blokkades", "blokkade", "problemen", "probleem", "zorgen", "hoor", "vandaag", "op", "dit", "alles", "goed",
    "echt", "niet", "voor", "mij", "bedankt", "dank", "je", "-",
})


def supported(locale: str | None) -> str:
    """The catalog locale for a platform locale such as `nl-NL` or `en_US`; English otherwise."""
    if locale:
        base = locale.replace("_", "-").split("-")[0].lower()
        if base in LOCALES:
            return base
    return DEFAULT_LOCALE


class Catalog:
    """Looks up messages by key for a locale; unknown keys fail loudly so none ships untranslated."""

    def text(self, locale: str, key: str, **params: Any) -> str:
        """The message `key` in `locale`, with its placeholders filled."""
        english, dutch = _MESSAGES[key]
        template = dutch if supported(locale) == "nl" else english
        return template.format(**params) if params else template

    def around(self, locale: str, key: str, placeholder: str) -> tuple[str, str]:
        """The text before and after `{placeholder}`, so a member's words can sit there as their own span."""
        english, dutch = _MESSAGES[key]
        template = dutch if supported(locale) == "nl" else english
        before, _, after = template.partition("{" + placeholder + "}")
        return before, after

    def pieces(self, locale: str, key: str, typed: Mapping[str, str], **params: Any) -> list[tuple[str, bool]]:
        """The message `key` in pieces, each marked True where it is one of the `typed` values a person wrote.

        So a renderer can treat those words as the person's own (escaped and defused) and the rest as the bot's.
        """
        english, dutch = _MESSAGES[key]
        template = dutch if supported(locale) == "nl" else english
        pieces: list[tuple[str, bool]] = []

        def add(text: str, by_person: bool) -> None:
            if not text:
                return
            if pieces and not by_person and not pieces[-1][1]:
                pieces[-1] = (pieces[-1][0] + text, False)
            else:
                pieces.append((text, by_person))

        for literal, name, spec, _conversion in string.Formatter().parse(template):
            add(literal, False)
            if name is not None and name in typed:
                add(typed[name], True)
            elif name is not None:
                add(format(params[name], spec or ""), False)
        return pieces

    def has(self, key: str) -> bool:
        """True when the catalog holds `key`."""
        return key in _MESSAGES

    def keys(self) -> list[str]:
        """Every key, for tests that check both languages are filled in."""
        return list(_MESSAGES)

    def days(self, locale: str, days: tuple[int, ...]) -> str:
        """Weekdays as `Mon-Fri` or `Mon, Wed, Fri` in `locale`."""
        names = _WEEKDAY_SHORT[supported(locale)]
        ordered = sorted(days)
        if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
            return f"{names[ordered[0]]}-{names[ordered[-1]]}"
        return ", ".join(names[day] for day in ordered)

    def date(self, locale: str, day: date) -> str:
        """A date as `Monday 23 November` / `maandag 23 november`."""
        lang = supported(locale)
        return f"{_WEEKDAY_LONG[lang][day.weekday()]} {day.day} {_MONTHS[lang][day.month - 1]}"

    def time(self, value: time) -> str:
        """A wall-clock time as HH:MM, the form both languages use."""
        return value.strftime("%H:%M")

    def decimal(self, locale: str, value: float, places: int = 1) -> str:
        """A number with `places` decimals as each language writes it: `3.8` / `3,8`."""
        text = f"{value:.{places}f}"
        return text.replace(".", ",") if supported(locale) == "nl" else text

    def names(self, locale: str, names: list[str]) -> str:
        """`A, B and C` / `A, B en C`."""
        if len(names) <= 1:
            return "".join(names)
        return f"{', '.join(names[:-1])} {self.text(locale, 'list.and')} {names[-1]}"
