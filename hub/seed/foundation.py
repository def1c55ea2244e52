"""Demo foundation: focus areas, organisations, contracts and commitments from the source texts.

Drawn from the public texts in shared/seeds: Kristianstad's local climate contract of 2023-12-14
with the municipality and T-Kartor group, Eskilstuna's partners and twelve support partners in
Klimatneutrala städer 2030, and Klimatneutrala Borås 2030 with its project parties and four focus
areas. Organisation-level only: no names of officials, no e-mail addresses or phone numbers.
Kristianstad's commitments are quoted as signed; the others are short, modest commitments written
from what the texts say each organisation does. Statuses are illustrative. Size bands are left
empty where the texts and general knowledge give no clear answer.

Loading is get-or-create by natural key (slug, contract title, party, commitment number), so
running it twice changes nothing, and it never overwrites what users have changed since.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from ..auth import service as auth_service
from ..extensions import db
from ..models import Commitment, Contract, ContractParty, FocusArea, Organisation, User

# --- focus areas ----------------------------------------------------------------------------

# (slug, name_sv, name_en, description_sv, description_en)
NATIONAL_AREAS = [
    (
        "mobilitet",
        "Mobilitet och transporter",
        "Mobility and transport",
        "Fler resor till fots, med cykel och kollektivtrafik, färre bilresor och fossilfria transporter av människor och gods.",
        "More trips on foot, by bike and by public transport, fewer car trips, and fossil-free transport of people and goods.",
    ),
    (
        "byggnader",
        "Byggnader och anläggning",
        "Buildings and construction",
        "Lägre klimatpåverkan när vi bygger, renoverar och förvaltar hus och anläggningar, sett över hela livscykeln.",
        "Lower climate impact when building, renovating and running buildings and infrastructure, over the whole life cycle.",
    ),
    (
        "energi",
        "Energi",
        "Energy",
        "Effektivare energianvändning och mer förnybar energi, producerad lokalt där det går.",
        "More efficient use of energy and more renewable energy, produced locally where possible.",
    ),
    (
        "konsumtion-cirkularitet",
        "Konsumtion och cirkularitet",
        "Consumption and circularity",
        "Att använda saker längre, återbruka, dela och återvinna, så att färre nya resurser behövs.",
        "Using things for longer, reusing, sharing and recycling, so that fewer new resources are needed.",
    ),
    (
        "upphandling",
        "Upphandling",
        "Procurement",
        "Att efterfråga klimatsmarta produkter och tjänster och ställa krav som driver fram nya lösningar.",
        "Asking for climate-smart products and services, with requirements that bring new solutions to market.",
    ),
    (
        "mat",
        "Mat och livsmedel",
        "Food",
        "Klimatsmart mat i kök och butiker, mindre matsvinn och ett hållbart lantbruk.",
        "Climate-smart food in kitchens and shops, less food waste and sustainable farming.",
    ),
    (
        "samverkan",
        "Samverkan",
        "Collaboration",
        "Att arbeta tillsammans över gränser – mellan kommun, näringsliv, akademi och civilsamhälle – och dela det som fungerar.",
        "Working together across boundaries – municipality, business, academia and civil society – and sharing what works.",
    ),
    (
        "ledarskap",
        "Ledarskap och styrning",
        "Leadership and governance",
        "Klimatfrågan i vision, strategi, budget och uppföljning, med tydliga beslut från ledningen.",
        "Climate in vision, strategy, budget and follow-up, with clear decisions from the top.",
    ),
    (
        "utbildning",
        "Utbildning och kunskap",
        "Education and knowledge",
        "Kunskap om klimatomställningen hos medarbetare, invånare och beslutsfattare – genom utbildning, folkbildning och forskning.",
        "Knowledge about the climate transition among staff, residents and decision makers – through education, adult learning and research.",
    ),
]

BORAS_AREAS = [
    (
        "modig-mobilitet",
        "Modig mobilitet",
        "Bold mobility",
        "Vardagens resor står för en stor del av klimatpåverkan. Fler ska kunna gå, cykla, åka kollektivt eller samåka.",
        "Everyday travel accounts for a large share of the climate impact. More people should be able to walk, cycle, take public transport or share rides.",
    ),
    (
        "bestaende-byggnation",
        "Bestående byggnation",
        "Lasting construction",
        "Bygg och anläggning ger stor klimatpåverkan över hela livscykeln. Omställningen kräver genomgripande förändringar i hur staden bygger, och det brådskar.",
        "Construction has a large climate impact over the whole life cycle. The transition needs far-reaching changes in how the city builds, and it is urgent.",
    ),
    (
        "smart-samskapande",
        "Smart samskapande",
        "Smart co-creation",
        "Nya lösningar växer fram när idéer och erfarenheter från invånare, näringsliv, akademi och staden möts och utvecklas tillsammans.",
        "New solutions grow when ideas and experience from residents, business, academia and the city meet and are developed together.",
    ),
    (
        "klokt-klimatledarskap",
        "Klokt klimatledarskap",
        "Wise climate leadership",
        "Beslutsfattare och andra aktörer i staden får stöd att leda klimatarbetet i sina egna organisationer.",
        "Decision makers and other actors in the city get support to lead climate work in their own organisations.",
    ),
]

# --- organisations --------------------------------------------------------------------------

# slug: (name, kind, municipality, sector, size_band, website, description)
ORGANISATIONS = {
    # Kristianstad
    "kristianstads-kommun": (
        "Kristianstads kommun",
        "kommun",
        "Kristianstad",
        "Offentlig förvaltning",
        "1000+",
        "https://www.kristianstad.se",
        "Kommunen har antagit missionen Klimatneutrala Kristianstad 2030 inom Viable Cities och tecknar "
        "lokala klimatkontrakt med företag, organisationer och offentliga verksamheter i kommunen.\n\n"
        "Kommunen sammanfattar varje år läget och utvecklingen i klimatkontrakten på sin webbplats.",
    ),
    "t-kartor-group": (
        "T-Kartor group",
        "foretag",
        "Kristianstad",
        "Kartor och geografisk information",
        "",
        "https://www.t-kartor.com",
        "Kartföretag med huvudkontor i Kristianstad. Undertecknade Kristianstads lokala klimatkontrakt "
        "i december 2023, med åtaganden om affärsresor, utbildning och en klimathandlingsplan för den egna fastigheten.",
    ),
    # Eskilstuna
    "eskilstuna-kommun": (
        "Eskilstuna kommun",
        "kommun",
        "Eskilstuna",
        "Offentlig förvaltning",
        "1000+",
        "https://www.eskilstuna.se",
        "En av städerna i Viable Cities satsning Klimatneutrala städer 2030. Kommunkoncernen tar en "
        "samordnande roll i arbetet med ett klimatprogram som alla slags aktörer i kommunen kan bidra till.",
    ),
    "malardalens-universitet": (
        "Mälardalens universitet",
        "akademi",
        "Eskilstuna",
        "Högre utbildning och forskning",
        "1000+",
        "https://www.mdu.se",
        "Partner i Eskilstunas klimatarbete. Bidrar till att identifiera behov och utveckla stöd för klimatomställningen.",
    ),
    "studieframjandet": (
        "Studiefrämjandet",
        "forening",
        "Eskilstuna",
        "Folkbildning",
        "",
        "https://www.studieframjandet.se",
        "Studieförbund och partner i Eskilstunas klimatarbete. Undersöker tillsammans med "
        "Länsbildningsförbundet hur folkbildningen kan öka kunskapen om klimatomställningen.",
    ),
    "retuna-aterbruksgalleria": (
        "ReTuna Återbruksgalleria",
        "offentlig",
        "Eskilstuna",
        "Återbruk och handel",
        "",
        "https://www.retuna.se",
        "Återbruksgalleria som drivs av det kommunägda Eskilstuna Energi och Miljö. Partner i Eskilstunas "
        "klimatarbete, med fokus på hur handeln kan utvecklas och bidra till klimatomställningen.",
    ),
    "affarsplan-eskilstuna": (
        "Affärsplan Eskilstuna",
        "forening",
        "Eskilstuna",
        "Näringslivssamverkan",
        "",
        "",
        "Samverkan för näringslivsutveckling i Eskilstuna. Stödpartner i kommunens klimatarbete.",
    ),
    "agro-sormland": (
        "AGRO Sörmland",
        "forening",
        "Eskilstuna",
        "Lantbruk och livsmedel",
        "",
        "",
        "Verkar för de gröna näringarna i Sörmland. Stödpartner i Eskilstunas klimatarbete.",
    ),
    "atea": (
        "ATEA",
        "foretag",
        "Eskilstuna",
        "IT-tjänster",
        "1000+",
        "https://www.atea.se",
        "IT-företag och stödpartner i Eskilstunas klimatarbete.",
    ),
    "berglunds-akeri": (
        "Berglunds Åkeri",
        "foretag",
        "Eskilstuna",
        "Transporter",
        "",
        "",
        "Åkeri och stödpartner i Eskilstunas klimatarbete.",
    ),
    "destination-eskilstuna": (
        "Destination Eskilstuna",
        "offentlig",
        "Eskilstuna",
        "Besöksnäring och evenemang",
        "",
        "https://www.visiteskilstuna.se",
        "Destinationsutvecklare och stödpartner i Eskilstunas klimatarbete. Deltar i samarbetet Greentopia "
        "för att minska klimatavtrycket från evenemang.",
    ),
    "energy-evolution-center": (
        "Energy Evolution Center",
        "offentlig",
        "Eskilstuna",
        "Energiomställning och rådgivning",
        "",
        "",
        "Invigdes 2022 för att bidra till klimatmålen genom energiomställning, stärka konkurrenskraften och "
        "säkra kompetensförsörjningen. Här kan företag få konkreta råd och verktyg för energieffektivisering.",
    ),
    "fastighets-ab-regio": (
        "Fastighets AB Regio",
        "foretag",
        "Eskilstuna",
        "Fastigheter",
        "",
        "",
        "Fastighetsägare och stödpartner i Eskilstunas klimatarbete. Är med bland fastighetsägarna som "
        "tillsammans med kommunen utvecklar ett attraktivt centrum i linje med klimatarbetet.",
    ),
    "lansbildningsforbundet-sormland": (
        "Länsbildningsförbundet Sörmland",
        "forening",
        "Eskilstuna",
        "Folkbildning",
        "",
        "",
        "Samlar folkbildningen i Sörmland. Stödpartner i Eskilstunas klimatarbete och med i arbetet om hur "
        "folkbildare kan öka kunskapen om klimatomställningen.",
    ),
    "mitc": (
        "MITC – Mälardalens Industrial Technology Center",
        "foretag",
        "Eskilstuna",
        "Industriell teknikutveckling",
        "",
        "",
        "Teknikcentrum för industrin i Mälardalen. Stödpartner i Eskilstunas klimatarbete.",
    ),
    "ab-malarplast": (
        "AB Mälarplast",
        "foretag",
        "Eskilstuna",
        "Tillverkning",
        "",
        "",
        "Tillverkande företag och stödpartner i Eskilstunas klimatarbete.",
    ),
    "malarstaden-asset-management": (
        "Mälarstaden Asset Management",
        "foretag",
        "Eskilstuna",
        "Fastigheter",
        "",
        "",
        "Fastighetsförvaltare och stödpartner i Eskilstunas klimatarbete.",
    ),
    "peab": (
        "PEAB AB",
        "foretag",
        "Eskilstuna",
        "Bygg och anläggning",
        "1000+",
        "https://www.peab.se",
        "Bygg- och anläggningsföretag och stödpartner i Eskilstunas klimatarbete.",
    ),
    # Borås
    "boras-stad": (
        "Borås Stad",
        "kommun",
        "Borås",
        "Offentlig förvaltning",
        "1000+",
        "https://www.boras.se",
        "Koordinerar satsningen Klimatneutrala Borås 2030, en del av Viable Cities Klimatneutrala städer 2030. "
        "Tecknar ett årligt klimatkontrakt och tar fram en klimatinvesteringsplan.",
    ),
    "science-park-boras": (
        "Science Park Borås",
        "akademi",
        "Borås",
        "Innovation och forskning",
        "",
        "",
        "Projektpart i Klimatneutrala Borås 2030 och med i innovationsteamet som driver arbetet inom fokusområdena.",
    ),
    "boras-energi-och-miljo": (
        "Borås Energi och Miljö AB",
        "offentlig",
        "Borås",
        "Energi, avfall och återvinning",
        "",
        "https://www.borasem.se",
        "Kommunägt bolag för energi, avfall och vatten. Projektpart i Klimatneutrala Borås 2030.",
    ),
    "navet-science-center": (
        "Navet Science Center",
        "forening",
        "Borås",
        "Lärande och vetenskapskommunikation",
        "",
        "",
        "Science center i Borås. Projektpart i Klimatneutrala Borås 2030.",
    ),
    "fribo": (
        "Fristadbostäder AB (FRIBO)",
        "offentlig",
        "Borås",
        "Bostäder",
        "",
        "https://www.fribo.se",
        "Kommunägt bostadsbolag i Fristad. Projektpart i Klimatneutrala Borås 2030.",
    ),
}

# --- contracts ------------------------------------------------------------------------------

KRISTIANSTAD = {
    "city": "Kristianstad",
    "title": "Lokalt klimatkontrakt – Klimatneutrala Kristianstad 2030",
    "signed_on": date(2023, 12, 14),
    "year": 2023,
    "mission": (
        "Kommunen har, som en del av Viable Cities, antagit missionen *”Klimatneutrala Kristianstad 2030 – "
        "med ett gott liv för alla inom planetens gränser”*: år 2030 ska alla som bor i kommunen kunna leva "
        "ett gott liv med hög livskvalitet och minimal klimatpåverkan."
    ),
    "purpose": (
        "Kontraktet ska öka takten i klimatomställningen genom att varje part visar sina åtaganden och sin "
        "vilja att agera. De lokala klimatkontrakten och parterna som skrivit under är plattformen för den "
        "lokala omställningen och en del av Klimatneutrala Kristianstad 2030 – och ger nya samarbeten, "
        "innovativa lösningar och affärsmöjligheter."
    ),
    "prerequisites": (
        "Organisationen arbetar med miljömässig, social och ekonomisk hållbarhet och har ett pågående "
        "hållbarhetsarbete med:\n\n"
        "- en nulägesanalys som visar verksamhetens klimatpåverkan\n"
        "- mål som utgår från nulägesanalysen och gör ambition och prioriteringar tydliga\n"
        "- en process för att löpande utvärdera hur målen uppfylls"
    ),
    "shared_starting_point": (
        "Varje part som skriver under åtar sig att:\n\n"
        "- driva en klimatomställning som omfattar hela värdekedjan\n"
        "- aktivt samarbeta med andra för att bidra till missionen\n"
        "- öppet dela lösningar, lärdomar och resultat under resans gång\n"
        "- identifiera och sätta ord på utmaningar, och söka, testa och utvärdera lösningar på dem"
    ),
    "follow_up": (
        "Resultatet redovisas varje år:\n\n"
        "1. Varje part redovisar minst en konkret åtgärd från året som har gett en direkt minskning av "
        "utsläppen av växthusgaser.\n"
        "2. Varje part delar sin hållbarhetsredovisning (eller motsvarande uppföljning) med kommunen, som "
        "länkar till den från kristianstad.se.\n"
        "3. Kommunen gör varje år en sammanfattning av läget och utvecklingen på kristianstad.se, med exempel "
        "som inspirerar och gör det lätt att dela kunskap."
    ),
    "note": "Kontraktet är inte juridiskt bindande, men varje part förväntas uppfylla sina åtaganden.",
    "parties": [
        (
            "kristianstads-kommun",
            "part",
            [
                (
                    "1",
                    "Klimat- och hållbarhetsfrågor ska genomsyra hela kommunorganisationen; från vision och "
                    "strategi till verksamhet och uppföljning.",
                    "pagar",
                    ["ledarskap"],
                ),
                (
                    "2",
                    "Pressa ner utsläppen av växthusgaser, möjliggöra fler cirkulära flöden, öka "
                    "energi-effektiviteten samt öka produktionen av förnybar energi i kommunen.",
                    "pagar",
                    ["energi", "konsumtion-cirkularitet"],
                ),
                (
                    "3",
                    "Öka andelen resor i kommunen som företas med gång, cykel eller kollektivtrafik och minska "
                    "antalet bilresor.",
                    "ej_paborjad",
                    ["mobilitet"],
                ),
                (
                    "4",
                    "Främja nya lösningar och innovationer genom att efterfråga klimatsmarta och hållbara "
                    "produkter och tjänster i upphandling.",
                    "genomford",
                    ["upphandling"],
                ),
            ],
        ),
        (
            "t-kartor-group",
            "part",
            [
                ("1", "Utveckla T-Kartors policy kring affärsresor.", "genomford", ["mobilitet"]),
                ("2", "Bidra till omställningsarenan genom utbildning.", "pagar", ["utbildning", "samverkan"]),
                (
                    "3",
                    "Ta fram en klimathandlingsplan för fastighet, Olof Molins Väg 12",
                    "ej_paborjad",
                    ["byggnader", "energi"],
                ),
            ],
        ),
    ],
}

ESKILSTUNA = {
    "city": "Eskilstuna",
    "title": "Klimatkontrakt Eskilstuna – Klimatneutrala städer 2030",
    "signed_on": date(2022, 12, 8),
    "year": 2022,
    "mission": (
        "Eskilstuna är en av 23 städer i Viable Cities satsning Klimatneutrala städer 2030, som tillsammans "
        "med statliga myndigheter arbetar för klimatneutrala och hållbara städer. Klimatkontraktet signerades "
        "av kommunstyrelsens ordförande vid European Viable Cities Day den 8 december."
    ),
    "purpose": (
        "Alla slags aktörer i kommunen ska kunna koppla sitt klimatarbete till ett gemensamt klimatprogram och "
        "visa hur de bidrar till klimatmålet genom egna åtaganden. Kommunkoncernen samordnar arbetet, tre "
        "partners driver var sitt spår och tolv stödpartners bidrar med kunskap och nätverk."
    ),
    "shared_starting_point": (
        "- Samverka lokalt, regionalt, nationellt och globalt – målet nås bara i brett samarbete\n"
        "- Göra lokala åtaganden inom det man själv har rådighet över\n"
        "- Identifiera vilket stöd för klimatomställning som behövs och vem som kan erbjuda det\n"
        "- Lyfta goda exempel så att fler inspireras"
    ),
    "follow_up": (
        "Åtagandena följs upp och kommuniceras med stöd av ett digitalt verktyg som visar omställningsmålen "
        "och vad varje aktör bidrar med."
    ),
    "parties": [
        (
            "eskilstuna-kommun",
            "part",
            [
                (
                    "1",
                    "Ta en samordnande roll i samarbetet mellan aktörerna i kommunen och samla dem i en "
                    "inkluderande process.",
                    "pagar",
                    ["samverkan", "ledarskap"],
                ),
                (
                    "2",
                    "Ta fram ett klimatprogram vars mål och arbetssätt alla slags aktörer i kommunen kan bidra till.",
                    "pagar",
                    ["ledarskap"],
                ),
                (
                    "3",
                    "Erbjuda en digital lösning där aktörer kan göra lokala åtaganden mot mål de har rådighet "
                    "över, och som ger underlag för uppföljning och kommunikation.",
                    "ej_paborjad",
                    ["samverkan"],
                ),
                (
                    "4",
                    "Kartlägga vilket stöd för klimatomställning som efterfrågas och vilka aktörer som kan erbjuda det.",
                    "ej_paborjad",
                    ["samverkan"],
                ),
            ],
        ),
        (
            "malardalens-universitet",
            "partner",
            [
                ("1", "Identifiera aktörernas behov av stöd för klimatomställning.", "pagar", ["samverkan", "utbildning"]),
                ("2", "Utveckla stöd för klimatomställning tillsammans med kommunen och övriga partners.", "ej_paborjad", ["utbildning"]),
            ],
        ),
        (
            "studieframjandet",
            "partner",
            [
                (
                    "1",
                    "Undersöka tillsammans med Länsbildningsförbundet om och hur folkbildare kan öka "
                    "kunskapsnivån kring klimatomställning.",
                    "pagar",
                    ["utbildning"],
                ),
            ],
        ),
        (
            "retuna-aterbruksgalleria",
            "partner",
            [
                (
                    "1",
                    "Tillsammans med fastighetsägare, centrum- och destinationsutvecklare undersöka hur handeln "
                    "kan utvecklas och bidra till klimatomställningen.",
                    "pagar",
                    ["konsumtion-cirkularitet", "samverkan"],
                ),
            ],
        ),
        (
            "affarsplan-eskilstuna",
            "stodpartner",
            [("1", "Sprida klimatprogrammets mål och arbetssätt i näringslivets nätverk.", "ej_paborjad", ["samverkan"])],
        ),
        (
            "agro-sormland",
            "stodpartner",
            [("1", "Dela kunskap om klimatomställning inom lantbruk och livsmedel med aktörerna i kommunen.", "ej_paborjad", ["mat"])],
        ),
        (
            "atea",
            "stodpartner",
            [("1", "Bidra som stödpartner med kunskap från den egna verksamheten när stöd för klimatomställning tas fram.", "ej_paborjad", ["samverkan"])],
        ),
        (
            "berglunds-akeri",
            "stodpartner",
            [("1", "Dela erfarenheter från transportverksamheten när stöd för klimatomställning tas fram.", "ej_paborjad", ["mobilitet"])],
        ),
        (
            "destination-eskilstuna",
            "stodpartner",
            [
                ("1", "Delta i samarbetet Greentopia för att minska klimatavtrycket från evenemang.", "pagar", ["konsumtion-cirkularitet", "samverkan"]),
                ("2", "Lyfta goda exempel på klimatarbete i Eskilstuna i kommunikationen om staden.", "genomford", ["samverkan"]),
            ],
        ),
        (
            "energy-evolution-center",
            "stodpartner",
            [("1", "Ge företag konkreta råd och verktyg för energieffektivisering.", "pagar", ["energi", "utbildning"])],
        ),
        (
            "fastighets-ab-regio",
            "stodpartner",
            [("1", "Utveckla ett attraktivt centrum tillsammans med kommunen och andra fastighetsägare, i linje med klimatarbetet.", "pagar", ["byggnader", "samverkan"])],
        ),
        (
            "lansbildningsforbundet-sormland",
            "stodpartner",
            [("1", "Medverka i undersökningen av hur folkbildningen kan öka kunskapen om klimatomställning.", "pagar", ["utbildning"])],
        ),
        (
            "mitc",
            "stodpartner",
            [("1", "Bidra med kunskap om industriell teknikutveckling när stöd för klimatomställning tas fram.", "ej_paborjad", ["energi", "samverkan"])],
        ),
        (
            "ab-malarplast",
            "stodpartner",
            [("1", "Dela erfarenheter från tillverkningsindustrin när stöd för klimatomställning tas fram.", "ej_paborjad", ["konsumtion-cirkularitet"])],
        ),
        (
            "malarstaden-asset-management",
            "stodpartner",
            [("1", "Delta i fastighetsägarnas samarbete om ett attraktivt centrum i linje med klimatarbetet.", "pagar", ["byggnader", "samverkan"])],
        ),
        (
            "peab",
            "stodpartner",
            [("1", "Dela erfarenheter från bygg- och anläggningsprojekt när stöd för klimatomställning tas fram.", "ej_paborjad", ["byggnader"])],
        ),
    ],
}

BORAS = {
    "city": "Borås",
    "title": "Klimatneutrala Borås 2030",
    "signed_on": None,
    "year": None,
    "mission": (
        "Borås ska öka takten i den lokala klimatomställningen: testa nya arbetssätt och lösningar, lära av "
        "varandra och skapa en stad som är bra för människorna som bor i den, för ekonomin och för klimatet. "
        "Satsningen är en del av Viable Cities Klimatneutrala städer 2030."
    ),
    "purpose": (
        "Borås Stad koordinerar. Ett innovationsteam med deltagare från varje projektpart håller ihop och driver "
        "arbetet inom de fyra fokusområdena: Modig mobilitet, Bestående byggnation, Smart samskapande och "
        "Klokt klimatledarskap. En portfölj av åtgärder tas fram, och teamet prövar nya former för samverkan "
        "med näringsliv och invånare."
    ),
    "follow_up": (
        "Staden tecknar ett årligt klimatkontrakt med de medverkande myndigheterna och tar fram en "
        "klimatinvesteringsplan."
    ),
    "note": "Projektets tidsram: 2021-10-01 – 2024-09-30. Finansiär: Energimyndigheten, inom Viable Cities.",
    "parties": [
        (
            "boras-stad",
            "projektpart",
            [
                ("1", "Koordinera Klimatneutrala Borås 2030 och innovationsteamet med deltagare från alla projektparter.", "genomford", ["klokt-klimatledarskap", "samverkan"]),
                ("2", "Teckna ett årligt klimatkontrakt med de medverkande myndigheterna och ta fram en klimatinvesteringsplan.", "pagar", ["klokt-klimatledarskap", "ledarskap"]),
                ("3", "Ta fram en portfölj av åtgärder inom de fyra fokusområdena.", "pagar", ["smart-samskapande"]),
                ("4", "Öka andelen hållbara vardagsresor i kommunen.", "ej_paborjad", ["modig-mobilitet", "mobilitet"]),
            ],
        ),
        (
            "science-park-boras",
            "projektpart",
            [("1", "Delta i innovationsteamet och pröva nya former för samverkan med näringslivet.", "pagar", ["smart-samskapande", "samverkan"])],
        ),
        (
            "boras-energi-och-miljo",
            "projektpart",
            [("1", "Bidra med åtgärder för energi och cirkulära flöden till stadens åtgärdsportfölj.", "pagar", ["energi", "konsumtion-cirkularitet"])],
        ),
        (
            "navet-science-center",
            "projektpart",
            [("1", "Pröva nya former för att involvera invånare i klimatomställningen.", "pagar", ["smart-samskapande", "utbildning"])],
        ),
        (
            "fribo",
            "projektpart",
            [("1", "Minska klimatpåverkan i egna bygg- och renoveringsprojekt med ett livscykelperspektiv.", "ej_paborjad", ["bestaende-byggnation", "byggnader"])],
        ),
    ],
}

CONTRACTS = [KRISTIANSTAD, ESKILSTUNA, BORAS]

# --- demo logins ----------------------------------------------------------------------------

DEMO_PASSWORD = auth_service.DEMO_PASSWORD
# Fixed, published second-factor secrets: demo accounts only, never created in production.
DEMO_TOTP_SECRETS = {
    "admin@example.se": "KLIMATHUBBENDEMOADMINXXXXXXXXXXX",
    "moderator@example.se": "KLIMATHUBBENDEMOMODERATORXXXXXXX",
}

# (email, organisation slug, role, org admin, display name, description)
DEMO_USERS = [
    ("admin@example.se", "kristianstads-kommun", "admin", True, "Administratör (demo)", "administratör"),
    ("moderator@example.se", "boras-stad", "moderator", False, "Moderator (demo)", "moderator"),
    ("kristianstad@example.se", "kristianstads-kommun", "member", True, "Klimatstrateg Kristianstad (demo)", "organisationsadmin, Kristianstads kommun"),
    ("t-kartor@example.se", "t-kartor-group", "member", False, "Hållbarhetsansvarig T-Kartor (demo)", "medlem, T-Kartor group"),
    ("eskilstuna@example.se", "eskilstuna-kommun", "member", True, "Klimatsamordnare Eskilstuna (demo)", "organisationsadmin, Eskilstuna kommun"),
    ("boras@example.se", "boras-stad", "member", False, "Miljöstrateg Borås (demo)", "medlem, Borås Stad"),
]


# --- loading --------------------------------------------------------------------------------


def has_data() -> bool:
    return db.session.scalar(select(func.count()).select_from(Organisation)) > 0


def _areas() -> dict[str, FocusArea]:
    existing = {area.slug: area for area in db.session.scalars(select(FocusArea))}
    rows = [(row, "") for row in NATIONAL_AREAS] + [(row, "Borås") for row in BORAS_AREAS]
    for position, ((slug, name_sv, name_en, description_sv, description_en), city) in enumerate(rows, start=1):
        if slug not in existing:
            existing[slug] = FocusArea(
                slug=slug,
                name_sv=name_sv,
                name_en=name_en,
                description_sv=description_sv,
                description_en=description_en,
                city=city,
                position=position * 10,
            )
            db.session.add(existing[slug])
    return existing


def _organisations() -> dict[str, Organisation]:
    existing = {org.slug: org for org in db.session.scalars(select(Organisation))}
    for slug, (name, kind, municipality, sector, size_band, website, description) in ORGANISATIONS.items():
        if slug not in existing:
            existing[slug] = Organisation(
                slug=slug,
                name=name,
                kind=kind,
                municipality=municipality,
                sector=sector,
                size_band=size_band,
                website=website,
                description=description,
            )
            db.session.add(existing[slug])
    return existing


def _contract(data: dict, orgs: dict[str, Organisation], areas: dict[str, FocusArea]) -> None:
    contract = db.session.scalar(select(Contract).where(Contract.city == data["city"], Contract.title == data["title"]))
    if contract is None:
        contract = Contract(
            city=data["city"],
            title=data["title"],
            signed_on=data["signed_on"],
            year=data["year"],
            **{key: data.get(key, "") for key in ("mission", "purpose", "prerequisites", "shared_starting_point", "follow_up", "note")},
        )
        db.session.add(contract)
    parties = {party.organisation_id: party for party in contract.parties}
    for position, (slug, role, commitments) in enumerate(data["parties"], start=1):
        org = orgs[slug]
        party = parties.get(org.id)
        if party is None:
            party = ContractParty(organisation=org, role=role, position=position)
            contract.parties.append(party)
        numbers = {c.number for c in party.commitments}
        for index, (number, text, status, area_slugs) in enumerate(commitments, start=1):
            if number in numbers:
                continue
            party.commitments.append(
                Commitment(
                    number=number,
                    text=text,
                    status=status,
                    position=index,
                    focus_areas=[areas[s] for s in area_slugs],
                )
            )


def load() -> None:
    """Create whatever of the demo foundation is missing; commit once."""
    areas = _areas()
    orgs = _organisations()
    db.session.flush()
    for data in CONTRACTS:
        _contract(data, orgs, areas)
    db.session.commit()


def demo_logins(production: bool) -> list[tuple[str, str, str]]:
    """Create the demo accounts (never in production) and say how to log in with them."""
    if production:
        return []
    orgs = {org.slug: org for org in db.session.scalars(select(Organisation))}
    logins = []
    for email, slug, role, org_admin, name, description in DEMO_USERS:
        org = orgs.get(slug)
        if org is None:
            continue
        user = db.session.scalar(select(User).where(User.email == email))
        secret = DEMO_TOTP_SECRETS.get(email)
        if user is None:
            user = User(email=email, name=name, role=role, is_org_admin=org_admin, organisation=org)
            user.set_password(DEMO_PASSWORD)
            if secret:
                user.totp_secret = secret
                user.totp_enabled = True
            db.session.add(user)
        if secret:
            description = f"{description}; TOTP-hemlighet för din autentiseringsapp: {secret}"
        logins.append((email, DEMO_PASSWORD, description))
    db.session.commit()
    return logins
