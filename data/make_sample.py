"""Generate data/sample-en-pt.tsv, the small English-Portuguese corpus shipped with seq2seq.

Written by the project for demos and tests (CC0, see data/README.md). Two sources:

* HAND: several hundred everyday sentence pairs written and proofread by hand;
* templated(): combinations drawn from small tables in which every Portuguese form
  (conjugation, gender/number agreement, contractions such as "ao"/"à"/"no"/"na") is
  written out explicitly, so no combination relies on automatic inflection.

Portuguese is Brazilian (você, ônibus, trem, celular). Output is deterministic: hand-written
pairs first in file order, then the templated pairs in table order; an English sentence
that appears twice keeps its first translation. Run from the repository root:

    python data/make_sample.py
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "sample-en-pt.tsv"
MAX_CHARS = 100

# One pair per line, "English | Portuguese"; lines starting with "#" are section headings.
HAND = """\
# greetings and courtesy
Hello. | Olá.
Hi! | Oi!
Good morning. | Bom dia.
Good afternoon. | Boa tarde.
Good evening. | Boa noite.
Good night. | Boa noite.
How are you? | Como você está?
I'm fine, thank you. | Estou bem, obrigado.
And you? | E você?
Nice to meet you. | Muito prazer.
What's your name? | Qual é o seu nome?
My name is Ana. | Meu nome é Ana.
His name is Pedro. | O nome dele é Pedro.
Her name is Júlia. | O nome dela é Júlia.
See you later. | Até mais tarde.
See you tomorrow. | Até amanhã.
See you soon. | Até logo.
Goodbye. | Tchau.
Thank you. | Obrigado.
Thank you very much. | Muito obrigado.
Thanks for everything. | Obrigado por tudo.
Thanks for your help. | Obrigado pela ajuda.
You're welcome. | De nada.
Please. | Por favor.
Excuse me. | Com licença.
I'm sorry. | Desculpe.
No problem. | Sem problema.
Welcome! | Bem-vindo!
Welcome to Brazil! | Bem-vindo ao Brasil!
Have a nice day. | Tenha um bom dia.
Have a good weekend. | Bom fim de semana.
Have a good trip. | Boa viagem.
Happy birthday! | Feliz aniversário!
Merry Christmas! | Feliz Natal!
Happy New Year! | Feliz Ano Novo!
Congratulations! | Parabéns!
Good luck! | Boa sorte!
Cheers! | Saúde!
Enjoy your meal! | Bom apetite!
Get well soon! | Melhoras!
Take care. | Cuide-se.
How's it going? | Como vai?
What's up? | E aí?
All right. | Tudo bem.
Everything is fine. | Está tudo bem.
Where are you from? | De onde você é?
How old are you? | Quantos anos você tem?
I'm twenty years old. | Eu tenho vinte anos.
Do you speak English? | Você fala inglês?
Do you speak Portuguese? | Você fala português?
I speak a little Portuguese. | Eu falo um pouco de português.
I don't understand. | Eu não entendo.
Could you repeat that, please? | Você pode repetir, por favor?
Please speak more slowly. | Fale mais devagar, por favor.
Speak louder, please. | Fale mais alto, por favor.
What does this word mean? | O que significa esta palavra?
How do you say this in Portuguese? | Como se diz isso em português?
How do you spell that? | Como se escreve isso?
I don't know. | Eu não sei.
I think so. | Acho que sim.
I don't think so. | Acho que não.
Of course. | Claro.
Maybe. | Talvez.
Yes, please. | Sim, por favor.
No, thank you. | Não, obrigado.
Wait a moment, please. | Espere um momento, por favor.
Wait a minute. | Espere um minuto.
Let's go! | Vamos!
Come in. | Entre.
Sit down, please. | Sente-se, por favor.
Be careful! | Cuidado!
Help! | Socorro!
# family
I have a big family. | Eu tenho uma família grande.
My family is small. | Minha família é pequena.
My parents live in the countryside. | Meus pais moram no interior.
I have two brothers and one sister. | Eu tenho dois irmãos e uma irmã.
I'm an only child. | Eu sou filho único.
My sister is older than me. | Minha irmã é mais velha do que eu.
My brother is younger than me. | Meu irmão é mais novo do que eu.
Do you have children? | Você tem filhos?
Do you have any brothers or sisters? | Você tem irmãos?
We have a daughter. | Nós temos uma filha.
Our son is at school. | Nosso filho está na escola.
My grandmother makes the best cake. | Minha avó faz o melhor bolo.
My grandparents live with us. | Meus avós moram conosco.
Are you married? | Você é casado?
I'm single. | Eu sou solteiro.
She got married last year. | Ela se casou no ano passado.
They have three children. | Eles têm três filhos.
My husband works at a bank. | Meu marido trabalha em um banco.
My uncle has a farm. | Meu tio tem uma fazenda.
The baby is sleeping. | O bebê está dormindo.
The baby is crying. | O bebê está chorando.
My cousins are coming this weekend. | Meus primos vêm neste fim de semana.
We visit our grandparents on Sundays. | Nós visitamos nossos avós aos domingos.
My family is very important to me. | Minha família é muito importante para mim.
He looks like his father. | Ele é parecido com o pai.
She has her mother's eyes. | Ela tem os olhos da mãe.
My dog is part of the family. | Meu cachorro faz parte da família.
My parents are on vacation. | Meus pais estão de férias.
We had dinner with my parents. | Nós jantamos com os meus pais.
# food and drink
I'm hungry. | Estou com fome.
I'm thirsty. | Estou com sede.
I'm full. | Estou satisfeito.
What would you like to eat? | O que você gostaria de comer?
What would you like to drink? | O que você gostaria de beber?
The food is delicious. | A comida está deliciosa.
Can I see the menu, please? | Posso ver o cardápio, por favor?
The bill, please. | A conta, por favor.
I'd like a table for two. | Eu gostaria de uma mesa para dois.
Is the service included? | O serviço está incluído?
I'm a vegetarian. | Eu sou vegetariano.
I don't eat meat. | Eu não como carne.
Breakfast is ready. | O café da manhã está pronto.
Lunch is at noon. | O almoço é ao meio-dia.
What's for dinner? | O que tem para o jantar?
Dinner is ready. | O jantar está pronto.
Dinner is on the table. | O jantar está na mesa.
We eat rice and beans every day. | Nós comemos arroz e feijão todos os dias.
This soup is too hot. | Esta sopa está quente demais.
The coffee is cold. | O café está frio.
Could you bring me some water, please? | Você pode me trazer água, por favor?
Do you want more rice? | Você quer mais arroz?
The bread is fresh. | O pão está fresco.
I drink coffee every morning. | Eu tomo café todas as manhãs.
She doesn't drink alcohol. | Ela não bebe álcool.
Let's have lunch together. | Vamos almoçar juntos.
I cook dinner every night. | Eu faço o jantar todas as noites.
The cake is in the oven. | O bolo está no forno.
Put the milk in the fridge. | Coloque o leite na geladeira.
This restaurant is very good. | Este restaurante é muito bom.
The fruit is very sweet. | A fruta está muito doce.
I'm allergic to peanuts. | Eu sou alérgico a amendoim.
Is this spicy? | Isso é apimentado?
I like my coffee without sugar. | Eu gosto do meu café sem açúcar.
Can you pass me the salt? | Você pode me passar o sal?
The meat is very tender. | A carne está muito macia.
I'm making a salad. | Estou fazendo uma salada.
My mother cooks very well. | Minha mãe cozinha muito bem.
We ordered a pizza. | Nós pedimos uma pizza.
There's no more milk. | Não tem mais leite.
Who wants dessert? | Quem quer sobremesa?
I had eggs for breakfast. | Eu comi ovos no café da manhã.
# weather and seasons
What's the weather like today? | Como está o tempo hoje?
It's sunny. | Está fazendo sol.
It's raining. | Está chovendo.
It's cold today. | Está frio hoje.
It's very hot. | Está muito quente.
It's windy. | Está ventando.
It's cloudy. | Está nublado.
It's snowing. | Está nevando.
It will rain tomorrow. | Vai chover amanhã.
It rained all night. | Choveu a noite toda.
Take an umbrella. | Leve um guarda-chuva.
The sky is blue. | O céu está azul.
Summer is very hot here. | O verão é muito quente aqui.
Winter in the south is cold. | O inverno no sul é frio.
I love spring. | Eu adoro a primavera.
Autumn is my favorite season. | O outono é a minha estação favorita.
A storm is coming. | Uma tempestade está chegando.
The weather is nice today. | O tempo está bom hoje.
It's hot and humid. | Está quente e úmido.
What's the temperature? | Qual é a temperatura?
It's thirty degrees. | Está fazendo trinta graus.
The sun is shining. | O sol está brilhando.
It's foggy this morning. | Tem neblina hoje de manhã.
I hate the rain. | Eu odeio a chuva.
It's getting dark. | Está escurecendo.
It's getting cold. | Está esfriando.
The rain stopped. | A chuva parou.
# time
What time is it? | Que horas são?
It's late. | É tarde.
It's early. | É cedo.
I'm late. | Estou atrasado.
I'm in a hurry. | Estou com pressa.
What day is today? | Que dia é hoje?
Today is my birthday. | Hoje é meu aniversário.
Yesterday was a long day. | Ontem foi um dia longo.
I'll call you tomorrow. | Eu ligo para você amanhã.
We have a meeting next week. | Nós temos uma reunião na semana que vem.
How long does it take? | Quanto tempo demora?
It takes an hour. | Demora uma hora.
We have plenty of time. | Nós temos bastante tempo.
Last year I went to Portugal. | No ano passado, eu fui a Portugal.
Next month I'm moving. | No mês que vem, eu vou me mudar.
Every day is different. | Cada dia é diferente.
It's almost midnight. | É quase meia-noite.
It's noon. | É meio-dia.
I'll be back soon. | Eu volto logo.
Sometimes I work on weekends. | Às vezes eu trabalho nos fins de semana.
I never drink coffee at night. | Eu nunca tomo café à noite.
I always walk to work. | Eu sempre vou a pé para o trabalho.
I was born in 1995. | Eu nasci em 1995.
The week went by fast. | A semana passou rápido.
We're going to travel next year. | Nós vamos viajar no ano que vem.
# travel and directions
I'd like a ticket to Rio. | Eu gostaria de uma passagem para o Rio.
What time does the train leave? | A que horas o trem sai?
What time does the bus arrive? | A que horas o ônibus chega?
Is this seat taken? | Este lugar está ocupado?
I lost my passport. | Eu perdi meu passaporte.
Here is my passport. | Aqui está o meu passaporte.
I have a reservation. | Eu tenho uma reserva.
Do you have a room for tonight? | Vocês têm um quarto para esta noite?
How much is a room for one night? | Quanto custa um quarto por uma noite?
The flight is delayed. | O voo está atrasado.
Our flight leaves at noon. | Nosso voo sai ao meio-dia.
I need a taxi. | Eu preciso de um táxi.
Please take me to this address. | Por favor, me leve a este endereço.
Is it far from here? | É longe daqui?
It's very close. | É bem perto.
Turn left. | Vire à esquerda.
Turn right. | Vire à direita.
Go straight ahead. | Siga em frente.
It's on the corner. | Fica na esquina.
It's next to the bank. | Fica ao lado do banco.
It's across the street. | Fica do outro lado da rua.
It's on the left. | Fica à esquerda.
It's on the right. | Fica à direita.
I'm lost. | Estou perdido.
Can you show me on the map? | Você pode me mostrar no mapa?
We are tourists. | Nós somos turistas.
I'm here on vacation. | Estou aqui de férias.
I'm here on business. | Estou aqui a trabalho.
How long will you stay? | Quanto tempo você vai ficar?
I'll stay for two weeks. | Vou ficar duas semanas.
The beach is beautiful. | A praia é linda.
Let's take the subway. | Vamos de metrô.
The bus is full. | O ônibus está cheio.
The train is late. | O trem está atrasado.
Where can I buy a ticket? | Onde posso comprar uma passagem?
One-way or round trip? | Só ida ou ida e volta?
My suitcase is heavy. | Minha mala está pesada.
I lost my luggage. | Eu perdi minha bagagem.
We arrived yesterday. | Nós chegamos ontem.
We leave tomorrow morning. | Nós vamos embora amanhã de manhã.
Have you ever been to Brazil? | Você já esteve no Brasil?
I've never been to Europe. | Eu nunca estive na Europa.
The hotel has a pool. | O hotel tem piscina.
Breakfast is included. | O café da manhã está incluído.
Where is the exit? | Onde fica a saída?
Where is the entrance? | Onde fica a entrada?
Where is the nearest pharmacy? | Onde fica a farmácia mais próxima?
Drive carefully. | Dirija com cuidado.
The road is closed. | A estrada está fechada.
Fasten your seat belt. | Coloque o cinto de segurança.
The bus stop is over there. | O ponto de ônibus fica ali.
Get off at the next stop. | Desça no próximo ponto.
Which bus goes downtown? | Qual ônibus vai para o centro?
The museum is in the city center. | O museu fica no centro da cidade.
# shopping and money
How much is this? | Quanto custa isso?
How much does it cost? | Quanto custa?
It's too expensive. | Está caro demais.
It's cheap. | Está barato.
Do you have a smaller size? | Vocês têm um tamanho menor?
Do you have a bigger size? | Vocês têm um tamanho maior?
Do you have this in blue? | Vocês têm isso em azul?
Can I try it on? | Posso experimentar?
Where is the fitting room? | Onde fica o provador?
I'm just looking. | Só estou olhando.
I'll take it. | Vou levar.
Do you accept credit cards? | Vocês aceitam cartão de crédito?
Can I pay by card? | Posso pagar com cartão?
Can I pay in cash? | Posso pagar em dinheiro?
Here is your change. | Aqui está o seu troco.
Keep the change. | Pode ficar com o troco.
Can I have a receipt? | Pode me dar um recibo?
The store is closed. | A loja está fechada.
The store is open until ten. | A loja fica aberta até as dez.
I need a bag. | Eu preciso de uma sacola.
Is there a discount? | Tem desconto?
This shirt is too big. | Esta camisa está grande demais.
These shoes are too small. | Estes sapatos estão pequenos demais.
I'm looking for a gift. | Estou procurando um presente.
The street market opens early. | A feira abre cedo.
I bought a new phone. | Eu comprei um celular novo.
She spent all her money. | Ela gastou todo o dinheiro dela.
Money doesn't buy happiness. | Dinheiro não compra felicidade.
Where is the cashier? | Onde fica o caixa?
Prices went up. | Os preços subiram.
I don't have any money. | Eu não tenho dinheiro.
I need to go to the bank. | Eu preciso ir ao banco.
# work
What do you do for a living? | O que você faz da vida?
I work in an office. | Eu trabalho em um escritório.
I work from home. | Eu trabalho em casa.
I'm looking for a job. | Estou procurando emprego.
I have a job interview tomorrow. | Eu tenho uma entrevista de emprego amanhã.
My boss is very nice. | Meu chefe é muito legal.
The meeting is at three. | A reunião é às três.
I have a lot of work today. | Eu tenho muito trabalho hoje.
I finish work at six. | Eu saio do trabalho às seis.
She works at a hospital. | Ela trabalha em um hospital.
He is a programmer. | Ele é programador.
I'll be on vacation next week. | Vou estar de férias na semana que vem.
Send me an email. | Me mande um e-mail.
I'll call you back. | Eu ligo de volta.
The printer doesn't work. | A impressora não funciona.
My computer is very slow. | Meu computador está muito lento.
We need to finish this today. | Nós precisamos terminar isso hoje.
He got a promotion. | Ele foi promovido.
The office is on the fifth floor. | O escritório fica no quinto andar.
We work as a team. | Nós trabalhamos em equipe.
Can you help me with this report? | Você pode me ajudar com este relatório?
The project is almost ready. | O projeto está quase pronto.
I start work at eight. | Eu começo a trabalhar às oito.
She is a good manager. | Ela é uma boa gerente.
I have the day off tomorrow. | Eu estou de folga amanhã.
He works too much. | Ele trabalha demais.
# school
I'm a student. | Eu sou estudante.
I study Portuguese. | Eu estudo português.
I'm learning Portuguese. | Estou aprendendo português.
The teacher is explaining the lesson. | O professor está explicando a lição.
Open your books. | Abram os livros.
Close the door, please. | Feche a porta, por favor.
Do you have a pen? | Você tem uma caneta?
Can I borrow your pencil? | Posso pegar o seu lápis emprestado?
I have a test tomorrow. | Eu tenho prova amanhã.
I passed the exam! | Eu passei na prova!
He didn't pass the test. | Ele não passou na prova.
I forgot my homework. | Eu esqueci minha lição de casa.
The class is very interesting. | A aula é muito interessante.
What page are we on? | Em que página estamos?
Raise your hand. | Levante a mão.
Write your name here. | Escreva seu nome aqui.
Read the text aloud. | Leia o texto em voz alta.
Listen carefully. | Escute com atenção.
Repeat after me. | Repita depois de mim.
I don't understand the question. | Eu não entendo a pergunta.
Can you explain that again? | Você pode explicar isso de novo?
My favorite subject is history. | Minha matéria favorita é história.
Math is difficult. | Matemática é difícil.
The library is quiet. | A biblioteca está silenciosa.
Classes start in February. | As aulas começam em fevereiro.
I go to school by bus. | Eu vou para a escola de ônibus.
She studies medicine. | Ela estuda medicina.
He wants to be an engineer. | Ele quer ser engenheiro.
I graduated last year. | Eu me formei no ano passado.
The students are in the classroom. | Os alunos estão na sala de aula.
The answer is correct. | A resposta está correta.
That's wrong. | Isso está errado.
Practice every day. | Pratique todos os dias.
# health
I don't feel well. | Eu não estou me sentindo bem.
I have a headache. | Estou com dor de cabeça.
I have a stomachache. | Estou com dor de barriga.
I have a cold. | Estou resfriado.
I have a fever. | Estou com febre.
My throat hurts. | Minha garganta está doendo.
My back hurts. | Minhas costas estão doendo.
My eyes hurt. | Meus olhos estão doendo.
I need a doctor. | Eu preciso de um médico.
Call an ambulance! | Chame uma ambulância!
Take this medicine twice a day. | Tome este remédio duas vezes por dia.
I'm allergic to penicillin. | Eu sou alérgico à penicilina.
You should rest. | Você deveria descansar.
Drink plenty of water. | Beba bastante água.
I broke my arm. | Eu quebrei o braço.
I cut my finger. | Eu cortei o dedo.
I have a dentist appointment. | Eu tenho uma consulta com o dentista.
I feel better today. | Eu me sinto melhor hoje.
He is in the hospital. | Ele está no hospital.
I can't sleep. | Eu não consigo dormir.
I exercise three times a week. | Eu faço exercício três vezes por semana.
Smoking is bad for your health. | Fumar faz mal à saúde.
I need to lose weight. | Eu preciso perder peso.
Wash your hands. | Lave as mãos.
I'm dizzy. | Estou tonto.
Are you okay? | Você está bem?
It's nothing serious. | Não é nada grave.
# feelings
I'm happy. | Estou feliz.
I'm so happy to see you. | Estou muito feliz em ver você.
I'm sad today. | Estou triste hoje.
I'm bored. | Estou entediado.
I'm scared. | Estou com medo.
Don't worry. | Não se preocupe.
I miss you. | Sinto sua falta.
I love you. | Eu te amo.
I like you a lot. | Eu gosto muito de você.
I'm proud of you. | Estou orgulhoso de você.
I'm angry with him. | Estou bravo com ele.
She is in a good mood. | Ela está de bom humor.
He is in a bad mood. | Ele está de mau humor.
I'm excited about the trip. | Estou animado com a viagem.
I'm nervous about the exam. | Estou nervoso com a prova.
That's wonderful! | Que maravilha!
What a shame! | Que pena!
I'm surprised. | Estou surpreso.
Calm down. | Calma.
I'm in love. | Estou apaixonado.
I feel lonely. | Eu me sinto sozinho.
I'm grateful for your help. | Sou grato pela sua ajuda.
That makes me happy. | Isso me deixa feliz.
Don't be afraid. | Não tenha medo.
Sorry I'm late. | Desculpe o atraso.
I'm relieved. | Estou aliviado.
I'm jealous. | Estou com ciúmes.
Cheer up! | Anime-se!
I'm confused. | Estou confuso.
I hope you're right. | Espero que você tenha razão.
# questions and answers
Where do you live? | Onde você mora?
I live in São Paulo. | Eu moro em São Paulo.
What do you want? | O que você quer?
Who is that man? | Quem é aquele homem?
Who is that woman? | Quem é aquela mulher?
Who is it? | Quem é?
Why are you laughing? | Por que você está rindo?
Because it's funny. | Porque é engraçado.
When is the party? | Quando é a festa?
Which one do you prefer? | Qual você prefere?
What is this? | O que é isso?
It's a gift for you. | É um presente para você.
Can you help me? | Você pode me ajudar?
Yes, of course. | Sim, claro.
Do you have a minute? | Você tem um minuto?
Are you ready? | Você está pronto?
Is everything okay? | Está tudo bem?
What happened? | O que aconteceu?
Where are my keys? | Onde estão minhas chaves?
They are on the table. | Estão em cima da mesa.
Whose bag is this? | De quem é esta bolsa?
What are you doing? | O que você está fazendo?
I'm reading a book. | Estou lendo um livro.
What are you thinking about? | Em que você está pensando?
Where did you go? | Aonde você foi?
I went to the market. | Eu fui ao mercado.
Did you sleep well? | Você dormiu bem?
Yes, very well. | Sim, muito bem.
Have you eaten yet? | Você já comeu?
Not yet. | Ainda não.
Do you like music? | Você gosta de música?
What kind of music do you like? | De que tipo de música você gosta?
Who is your favorite singer? | Quem é o seu cantor favorito?
What's your phone number? | Qual é o seu número de telefone?
What's your address? | Qual é o seu endereço?
Can I come in? | Posso entrar?
May I sit here? | Posso me sentar aqui?
Is it true? | É verdade?
Really? | Sério?
Why not? | Por que não?
How was your weekend? | Como foi o seu fim de semana?
It was great. | Foi ótimo.
How was the trip? | Como foi a viagem?
Do you need help? | Você precisa de ajuda?
What's wrong? | O que houve?
Nothing. | Nada.
What's the problem? | Qual é o problema?
How many people are coming? | Quantas pessoas vêm?
Is it open on Sundays? | Abre aos domingos?
Where is everybody? | Onde está todo mundo?
# home and daily routine
I wake up early. | Eu acordo cedo.
I take a shower every morning. | Eu tomo banho todas as manhãs.
I brush my teeth. | Eu escovo os dentes.
I get dressed. | Eu me visto.
I make my bed. | Eu arrumo a cama.
I clean the house on Saturdays. | Eu limpo a casa aos sábados.
Turn off the light. | Apague a luz.
Turn on the TV. | Ligue a televisão.
Open the window. | Abra a janela.
Close the window. | Feche a janela.
The kitchen is clean. | A cozinha está limpa.
The room is dirty. | O quarto está sujo.
Our apartment is small. | Nosso apartamento é pequeno.
We live on the third floor. | Nós moramos no terceiro andar.
The keys are in the drawer. | As chaves estão na gaveta.
Where did you put my glasses? | Onde você colocou os meus óculos?
I do the dishes after dinner. | Eu lavo a louça depois do jantar.
He walks the dog every evening. | Ele passeia com o cachorro todas as noites.
The cat is under the bed. | O gato está debaixo da cama.
There's someone at the door. | Tem alguém na porta.
I'm going to take a nap. | Vou tirar um cochilo.
I'm going home. | Eu vou para casa.
I'm at home. | Estou em casa.
Come to my house. | Venha para a minha casa.
My phone is dead. | Meu celular está sem bateria.
Can I charge my phone here? | Posso carregar meu celular aqui?
What's the Wi-Fi password? | Qual é a senha do Wi-Fi?
The internet isn't working. | A internet não está funcionando.
I'm watching TV. | Estou vendo televisão.
Let's watch a movie tonight. | Vamos ver um filme hoje à noite.
I listen to music every day. | Eu escuto música todos os dias.
I read the news in the morning. | Eu leio as notícias de manhã.
She is taking a shower. | Ela está tomando banho.
The water is too cold. | A água está fria demais.
# leisure
I play soccer on weekends. | Eu jogo futebol nos fins de semana.
Do you want to go to the beach? | Você quer ir à praia?
Let's go for a walk. | Vamos dar uma volta.
I like to read before bed. | Eu gosto de ler antes de dormir.
We went to the movies. | Nós fomos ao cinema.
The movie was very good. | O filme foi muito bom.
The concert starts at eight. | O show começa às oito.
Who won the game? | Quem ganhou o jogo?
Our team won. | Nosso time ganhou.
He plays the guitar. | Ele toca violão.
She sings very well. | Ela canta muito bem.
I'm learning to swim. | Estou aprendendo a nadar.
Do you want to dance? | Você quer dançar?
We had a lot of fun. | Nós nos divertimos muito.
Let's have a barbecue on Sunday. | Vamos fazer um churrasco no domingo.
I love taking photos. | Eu adoro tirar fotos.
What are your hobbies? | Quais são os seus passatempos?
I ride my bike to work. | Eu vou de bicicleta para o trabalho.
The museum is free on Tuesdays. | O museu é gratuito às terças-feiras.
Do you want to come with us? | Você quer vir conosco?
# nature and animals
The dog is barking. | O cachorro está latindo.
The cat is sleeping on the sofa. | O gato está dormindo no sofá.
The birds are singing. | Os pássaros estão cantando.
I'm afraid of spiders. | Eu tenho medo de aranhas.
The river is very deep. | O rio é muito fundo.
The mountains are beautiful. | As montanhas são lindas.
The trees are green. | As árvores estão verdes.
The sea is calm today. | O mar está calmo hoje.
The moon is full tonight. | A lua está cheia hoje.
# phone and messages
Hello, who's speaking? | Alô, quem fala?
Can I speak to Maria? | Posso falar com a Maria?
She's not here right now. | Ela não está agora.
Can I leave a message? | Posso deixar um recado?
I'll call you later. | Eu ligo para você mais tarde.
The line is busy. | A linha está ocupada.
I can't hear you. | Não consigo ouvir você.
Send me a message. | Me mande uma mensagem.
I sent you a photo. | Eu mandei uma foto para você.
# everyday phrases
I agree with you. | Eu concordo com você.
You're right. | Você tem razão.
That's a good idea. | É uma boa ideia.
It doesn't matter. | Não importa.
It's not my fault. | Não é culpa minha.
I forgot. | Eu esqueci.
I remember. | Eu me lembro.
Try again. | Tente de novo.
I changed my mind. | Eu mudei de ideia.
It depends. | Depende.
Me too. | Eu também.
Me neither. | Nem eu.
Nobody knows. | Ninguém sabe.
Everybody is here. | Todo mundo está aqui.
The door is open. | A porta está aberta.
The window is closed. | A janela está fechada.
This is easy. | Isso é fácil.
This is very difficult. | Isso é muito difícil.
It's important. | É importante.
It's not possible. | Não é possível.
It's my turn. | É a minha vez.
Let me think. | Deixe-me pensar.
I'll help you. | Eu vou ajudar você.
Tell me the truth. | Me diga a verdade.
Don't forget your umbrella. | Não esqueça o seu guarda-chuva.
What a beautiful day! | Que dia lindo!
It's a long story. | É uma longa história.
I'm waiting for the bus. | Estou esperando o ônibus.
Life is good. | A vida é boa.
"""


# ---------------------------------------------------------------------------
# Templated pairs. Every Portuguese form is written out in a table; the code
# only picks rows, it never inflects a word itself.
# ---------------------------------------------------------------------------

# (English subject, English verb form key, Portuguese subject, person key, gender/number key)
# person keys: 1s, 3s, 1p, 3p.  agreement keys: ms, fs, mp, fp.
SUBJECTS = [
    ("I", "1s", "Eu", "1s", "ms"),
    ("You", "2s", "Você", "3s", "ms"),
    ("He", "3s", "Ele", "3s", "ms"),
    ("She", "3s", "Ela", "3s", "fs"),
    ("We", "1p", "Nós", "1p", "mp"),
    ("They", "3p", "Eles", "3p", "mp"),
]

# English: base form for I/you/we/they, -s form for he/she.
EN_DO_NOT = {"1s": "don't", "2s": "don't", "3s": "doesn't", "1p": "don't", "3p": "don't"}
EN_BE = {"1s": "am", "2s": "are", "3s": "is", "1p": "are", "3p": "are"}
EN_BE_SHORT = {"1s": "I'm", "2s": "You're", "3s": None, "1p": "We're", "3p": "They're"}

PT = {  # Portuguese present tense, written out per person
    "gostar": {"1s": "gosto", "3s": "gosta", "1p": "gostamos", "3p": "gostam"},
    "querer": {"1s": "quero", "3s": "quer", "1p": "queremos", "3p": "querem"},
    "precisar": {"1s": "preciso", "3s": "precisa", "1p": "precisamos", "3p": "precisam"},
    "poder": {"1s": "posso", "3s": "pode", "1p": "podemos", "3p": "podem"},
    "estar": {"1s": "estou", "3s": "está", "1p": "estamos", "3p": "estão"},
    "ser": {"1s": "sou", "3s": "é", "1p": "somos", "3p": "são"},
    "ter": {"1s": "tenho", "3s": "tem", "1p": "temos", "3p": "têm"},
    "morar": {"1s": "moro", "3s": "mora", "1p": "moramos", "3p": "moram"},
}
EN_VERB = {  # English verb forms: (base, third person singular)
    "like": ("like", "likes"),
    "want": ("want", "wants"),
    "need": ("need", "needs"),
    "have": ("have", "has"),
    "live": ("live", "lives"),
}


def en_verb(verb: str, en_key: str) -> str:
    base, third = EN_VERB[verb]
    return third if en_key == "3s" else base


# Things to like, without article (generic use): (English, Portuguese after "de")
FOODS = [
    ("coffee", "café"),
    ("tea", "chá"),
    ("milk", "leite"),
    ("bread", "pão"),
    ("rice", "arroz"),
    ("beans", "feijão"),
    ("fish", "peixe"),
    ("chicken", "frango"),
    ("meat", "carne"),
    ("cheese", "queijo"),
    ("chocolate", "chocolate"),
    ("apples", "maçãs"),
    ("bananas", "bananas"),
    ("oranges", "laranjas"),
    ("soup", "sopa"),
    ("pizza", "pizza"),
    ("ice cream", "sorvete"),
    ("salad", "salada"),
    ("orange juice", "suco de laranja"),
    ("eggs", "ovos"),
    ("vegetables", "legumes"),
    ("cake", "bolo"),
    ("pasta", "macarrão"),
    ("beer", "cerveja"),
    ("wine", "vinho"),
    ("spicy food", "comida apimentada"),
    ("Brazilian food", "comida brasileira"),
    ("coffee with milk", "café com leite"),
]

# Activities after "like to" / "gostar de": (English, Portuguese infinitive)
HOBBIES = [
    ("read", "ler"),
    ("dance", "dançar"),
    ("cook", "cozinhar"),
    ("swim", "nadar"),
    ("travel", "viajar"),
    ("sing", "cantar"),
    ("run", "correr"),
    ("walk on the beach", "caminhar na praia"),
    ("play soccer", "jogar futebol"),
    ("watch movies", "ver filmes"),
    ("listen to music", "ouvir música"),
    ("sleep late", "dormir até tarde"),
    ("draw", "desenhar"),
    ("write", "escrever"),
    ("ride a bike", "andar de bicicleta"),
    ("take pictures", "tirar fotos"),
]

WANT = [
    ("go home", "ir para casa"),
    ("sleep", "dormir"),
    ("eat something", "comer alguma coisa"),
    ("go to the beach", "ir à praia"),
    ("watch a movie", "ver um filme"),
    ("learn Portuguese", "aprender português"),
    ("rest", "descansar"),
    ("travel", "viajar"),
    ("buy a car", "comprar um carro"),
    ("see the sea", "ver o mar"),
    ("go out tonight", "sair hoje à noite"),
    ("change jobs", "mudar de emprego"),
    ("live in Brazil", "morar no Brasil"),
    ("drink some water", "beber água"),
]
NEED = [
    ("study", "estudar"),
    ("work tomorrow", "trabalhar amanhã"),
    ("leave now", "sair agora"),
    ("go to the bank", "ir ao banco"),
    ("buy bread", "comprar pão"),
    ("call the doctor", "ligar para o médico"),
    ("clean the house", "limpar a casa"),
    ("wake up early", "acordar cedo"),
    ("pay the bill", "pagar a conta"),
    ("drink more water", "beber mais água"),
    ("find a job", "encontrar um emprego"),
    ("sleep more", "dormir mais"),
]
CAN = [
    ("come tomorrow", "vir amanhã"),
    ("wait here", "esperar aqui"),
    ("leave early", "sair cedo"),
    ("pay by card", "pagar com cartão"),
    ("park here", "estacionar aqui"),
    ("take a taxi", "pegar um táxi"),
    ("stay here", "ficar aqui"),
    ("start on Monday", "começar na segunda-feira"),
    ("sleep here", "dormir aqui"),
    ("open the window", "abrir a janela"),
]

# Adjectives with estar: (English, ms, fs, mp, fp)
STATES = [
    ("tired", "cansado", "cansada", "cansados", "cansadas"),
    ("happy", "feliz", "feliz", "felizes", "felizes"),
    ("sad", "triste", "triste", "tristes", "tristes"),
    ("sick", "doente", "doente", "doentes", "doentes"),
    ("busy", "ocupado", "ocupada", "ocupados", "ocupadas"),
    ("ready", "pronto", "pronta", "prontos", "prontas"),
    ("bored", "entediado", "entediada", "entediados", "entediadas"),
    ("worried", "preocupado", "preocupada", "preocupados", "preocupadas"),
    ("late", "atrasado", "atrasada", "atrasados", "atrasadas"),
    ("nervous", "nervoso", "nervosa", "nervosos", "nervosas"),
    ("hungry", "com fome", "com fome", "com fome", "com fome"),
    ("thirsty", "com sede", "com sede", "com sede", "com sede"),
    ("cold", "com frio", "com frio", "com frio", "com frio"),
    ("sleepy", "com sono", "com sono", "com sono", "com sono"),
    ("at home", "em casa", "em casa", "em casa", "em casa"),
    ("at work", "no trabalho", "no trabalho", "no trabalho", "no trabalho"),
]
# Adjectives with ser
TRAITS = [
    ("tall", "alto", "alta", "altos", "altas"),
    ("short", "baixo", "baixa", "baixos", "baixas"),
    ("young", "jovem", "jovem", "jovens", "jovens"),
    ("intelligent", "inteligente", "inteligente", "inteligentes", "inteligentes"),
    ("friendly", "simpático", "simpática", "simpáticos", "simpáticas"),
    ("shy", "tímido", "tímida", "tímidos", "tímidas"),
    ("funny", "engraçado", "engraçada", "engraçados", "engraçadas"),
    ("strong", "forte", "forte", "fortes", "fortes"),
    ("kind", "gentil", "gentil", "gentis", "gentis"),
    ("hardworking", "trabalhador", "trabalhadora", "trabalhadores", "trabalhadoras"),
    ("lazy", "preguiçoso", "preguiçosa", "preguiçosos", "preguiçosas"),
    ("polite", "educado", "educada", "educados", "educadas"),
    ("thin", "magro", "magra", "magros", "magras"),
    ("patient", "paciente", "paciente", "pacientes", "pacientes"),
]
NATIONALITIES = [
    ("American", "americano", "americana", "americanos", "americanas"),
    ("Brazilian", "brasileiro", "brasileira", "brasileiros", "brasileiras"),
    ("Portuguese", "português", "portuguesa", "portugueses", "portuguesas"),
    ("English", "inglês", "inglesa", "ingleses", "inglesas"),
    ("French", "francês", "francesa", "franceses", "francesas"),
    ("Spanish", "espanhol", "espanhola", "espanhóis", "espanholas"),
    ("German", "alemão", "alemã", "alemães", "alemãs"),
    ("Italian", "italiano", "italiana", "italianos", "italianas"),
    ("Japanese", "japonês", "japonesa", "japoneses", "japonesas"),
    ("Mexican", "mexicano", "mexicana", "mexicanos", "mexicanas"),
    ("Canadian", "canadense", "canadense", "canadenses", "canadenses"),
    ("Argentinian", "argentino", "argentina", "argentinos", "argentinas"),
]
AGREE = {"ms": 1, "fs": 2, "mp": 3, "fp": 4}

# Numbers: English word, Portuguese masculine, Portuguese feminine
NUMBERS = [
    (1, "one", "um", "uma"),
    (2, "two", "dois", "duas"),
    (3, "three", "três", "três"),
    (4, "four", "quatro", "quatro"),
    (5, "five", "cinco", "cinco"),
    (6, "six", "seis", "seis"),
    (7, "seven", "sete", "sete"),
    (8, "eight", "oito", "oito"),
    (9, "nine", "nove", "nove"),
    (10, "ten", "dez", "dez"),
    (11, "eleven", "onze", "onze"),
    (12, "twelve", "doze", "doze"),
]
# Countable nouns: English singular, English plural, article, pt singular, pt plural, gender
NOUNS = [
    ("cat", "cats", "a", "gato", "gatos", "m"),
    ("dog", "dogs", "a", "cachorro", "cachorros", "m"),
    ("brother", "brothers", "a", "irmão", "irmãos", "m"),
    ("sister", "sisters", "a", "irmã", "irmãs", "f"),
    ("son", "sons", "a", "filho", "filhos", "m"),
    ("daughter", "daughters", "a", "filha", "filhas", "f"),
    ("book", "books", "a", "livro", "livros", "m"),
    ("pen", "pens", "a", "caneta", "canetas", "f"),
    ("key", "keys", "a", "chave", "chaves", "f"),
    ("ticket", "tickets", "a", "passagem", "passagens", "f"),
    ("bicycle", "bicycles", "a", "bicicleta", "bicicletas", "f"),
    ("car", "cars", "a", "carro", "carros", "m"),
    ("umbrella", "umbrellas", "an", "guarda-chuva", "guarda-chuvas", "m"),
    ("apple", "apples", "an", "maçã", "maçãs", "f"),
]
# (English subject, English have, Portuguese subject + ter)
HAVE_SUBJECTS = [
    ("I", "have", "Eu tenho"),
    ("We", "have", "Nós temos"),
    ("He", "has", "Ele tem"),
    ("She", "has", "Ela tem"),
    ("They", "have", "Eles têm"),
    ("You", "have", "Você tem"),
]

# Hours are feminine in Portuguese (uma hora, duas horas).
HOURS = [(n, en, f) for n, en, _m, f in NUMBERS]
EVENTS = [  # English, Portuguese, hours at which the sentence is plausible
    ("The train leaves", "O trem sai", (3, 6, 9, 12)),
    ("The bus leaves", "O ônibus sai", (2, 5, 8, 11)),
    ("The class starts", "A aula começa", (1, 7, 8, 10)),
    ("The movie starts", "O filme começa", (4, 7, 9)),
    ("The store opens", "A loja abre", (8, 9, 10)),
    ("The store closes", "A loja fecha", (6, 7, 10)),
    ("The meeting starts", "A reunião começa", (2, 3, 11)),
    ("I wake up", "Eu acordo", (5, 6, 7)),
    ("We have lunch", "Nós almoçamos", (1, 12)),
    ("The flight arrives", "O voo chega", (4, 6, 9)),
]

# Days: English, Portuguese, "no"/"na" for "on <day>", plural with "aos"/"às"
DAYS = [
    ("Monday", "segunda-feira", "na", "às segundas-feiras"),
    ("Tuesday", "terça-feira", "na", "às terças-feiras"),
    ("Wednesday", "quarta-feira", "na", "às quartas-feiras"),
    ("Thursday", "quinta-feira", "na", "às quintas-feiras"),
    ("Friday", "sexta-feira", "na", "às sextas-feiras"),
    ("Saturday", "sábado", "no", "aos sábados"),
    ("Sunday", "domingo", "no", "aos domingos"),
]
MONTHS = [
    ("January", "janeiro"),
    ("February", "fevereiro"),
    ("March", "março"),
    ("April", "abril"),
    ("May", "maio"),
    ("June", "junho"),
    ("July", "julho"),
    ("August", "agosto"),
    ("September", "setembro"),
    ("October", "outubro"),
    ("November", "novembro"),
    ("December", "dezembro"),
]

# Colours: English, ms, fs, mp, fp
COLOURS = [
    ("red", "vermelho", "vermelha", "vermelhos", "vermelhas"),
    ("white", "branco", "branca", "brancos", "brancas"),
    ("black", "preto", "preta", "pretos", "pretas"),
    ("yellow", "amarelo", "amarela", "amarelos", "amarelas"),
    ("green", "verde", "verde", "verdes", "verdes"),
    ("blue", "azul", "azul", "azuis", "azuis"),
    ("gray", "cinza", "cinza", "cinza", "cinza"),
    ("brown", "marrom", "marrom", "marrons", "marrons"),
    ("pink", "rosa", "rosa", "rosa", "rosa"),
    ("orange", "laranja", "laranja", "laranja", "laranja"),
    ("purple", "roxo", "roxa", "roxos", "roxas"),
]
# Coloured things: English noun, English article/plural flag, Portuguese noun,
# agreement key, definite article, indefinite article or "" for plural
THINGS = [
    ("car", "a", "carro", "ms", "O", "um"),
    ("house", "a", "casa", "fs", "A", "uma"),
    ("shirt", "a", "camisa", "fs", "A", "uma"),
    ("dress", "a", "vestido", "ms", "O", "um"),
    ("bag", "a", "bolsa", "fs", "A", "uma"),
    ("door", "a", "porta", "fs", "A", "uma"),
    ("bicycle", "a", "bicicleta", "fs", "A", "uma"),
    ("hat", "a", "chapéu", "ms", "O", "um"),
    ("shoes", "", "sapatos", "mp", "Os", ""),
    ("towels", "", "toalhas", "fp", "As", ""),
    ("curtains", "", "cortinas", "fp", "As", ""),
    ("socks", "", "meias", "fp", "As", ""),
    ("pencils", "", "lápis", "mp", "Os", ""),
]
NOT_BOUGHT = {"house", "door"}  # only described, never "I bought a red house"

# Places: English (with a/an), Portuguese noun, gender
PLACES = [
    ("a", "station", "estação", "f"),
    ("a", "bank", "banco", "m"),
    ("a", "hospital", "hospital", "m"),
    ("a", "pharmacy", "farmácia", "f"),
    ("a", "supermarket", "supermercado", "m"),
    ("a", "bathroom", "banheiro", "m"),
    ("a", "bus stop", "ponto de ônibus", "m"),
    ("an", "airport", "aeroporto", "m"),
    ("a", "hotel", "hotel", "m"),
    ("a", "museum", "museu", "m"),
    ("a", "library", "biblioteca", "f"),
    ("a", "post office", "agência dos correios", "f"),
    ("a", "restaurant", "restaurante", "m"),
    ("a", "beach", "praia", "f"),
    ("a", "school", "escola", "f"),
    ("a", "church", "igreja", "f"),
    ("a", "park", "parque", "m"),
    ("a", "bakery", "padaria", "f"),
    ("a", "subway station", "estação de metrô", "f"),
    ("a", "police station", "delegacia", "f"),
    ("a", "gas station", "posto de gasolina", "m"),
    ("a", "shopping mall", "shopping", "m"),
    ("a", "movie theater", "cinema", "m"),
    ("an", "ATM", "caixa eletrônico", "m"),
]
ART = {"m": ("o", "um", "ao", "do", "no"), "f": ("a", "uma", "à", "da", "na")}

# Family members: English, Portuguese with possessive, gender, plural?
FAMILY = [
    ("My father", "Meu pai", "m"),
    ("My mother", "Minha mãe", "f"),
    ("My brother", "Meu irmão", "m"),
    ("My sister", "Minha irmã", "f"),
    ("My uncle", "Meu tio", "m"),
    ("My aunt", "Minha tia", "f"),
    ("My husband", "Meu marido", "m"),
    ("My wife", "Minha esposa", "f"),
    ("My son", "Meu filho", "m"),
    ("My daughter", "Minha filha", "f"),
    ("My grandfather", "Meu avô", "m"),
    ("My grandmother", "Minha avó", "f"),
    ("My boyfriend", "Meu namorado", "m"),
    ("My girlfriend", "Minha namorada", "f"),
]
JOBS = [  # English with article, Portuguese masculine, feminine (no article after "é")
    ("a doctor", "médico", "médica"),
    ("a teacher", "professor", "professora"),
    ("a nurse", "enfermeiro", "enfermeira"),
    ("an engineer", "engenheiro", "engenheira"),
    ("a lawyer", "advogado", "advogada"),
    ("a cook", "cozinheiro", "cozinheira"),
    ("a student", "estudante", "estudante"),
    ("a driver", "motorista", "motorista"),
    ("a dentist", "dentista", "dentista"),
    ("a journalist", "jornalista", "jornalista"),
    ("a police officer", "policial", "policial"),
    ("a mechanic", "mecânico", "mecânica"),
    ("a salesperson", "vendedor", "vendedora"),
    ("an architect", "arquiteto", "arquiteta"),
    ("retired", "aposentado", "aposentada"),
    ("a farmer", "agricultor", "agricultora"),
]

# Places to live / come from: English, Portuguese name, article ("" for none)
COUNTRIES = [
    ("Brazil", "Brasil", "o"),
    ("Portugal", "Portugal", ""),
    ("Japan", "Japão", "o"),
    ("France", "França", "a"),
    ("Italy", "Itália", "a"),
    ("Germany", "Alemanha", "a"),
    ("Spain", "Espanha", "a"),
    ("Canada", "Canadá", "o"),
    ("Mexico", "México", "o"),
    ("the United States", "Estados Unidos", "os"),
    ("England", "Inglaterra", "a"),
    ("Argentina", "Argentina", "a"),
    ("Angola", "Angola", ""),
    ("China", "China", "a"),
    ("Chile", "Chile", "o"),
    ("Peru", "Peru", "o"),
    ("Mozambique", "Moçambique", ""),
    ("India", "Índia", "a"),
]
CITIES = [
    ("São Paulo", "São Paulo", ""),
    ("Rio de Janeiro", "Rio de Janeiro", "o"),
    ("Lisbon", "Lisboa", ""),
    ("London", "Londres", ""),
    ("New York", "Nova York", ""),
    ("Paris", "Paris", ""),
    ("Brasília", "Brasília", ""),
    ("Salvador", "Salvador", ""),
    ("Tokyo", "Tóquio", ""),
    ("Curitiba", "Curitiba", ""),
    ("Porto Alegre", "Porto Alegre", ""),
    ("Belo Horizonte", "Belo Horizonte", ""),
]
# Contractions of de / em / a with the definite article, written out
DE = {"": "de", "o": "do", "a": "da", "os": "dos", "as": "das"}
EM = {"": "em", "o": "no", "a": "na", "os": "nos", "as": "nas"}
A = {"": "a", "o": "ao", "a": "à", "os": "aos", "as": "às"}

# Shop items: English, Portuguese with article, verb number, "caro" agreement
ITEMS = [
    ("the shirt", "a camisa", "fs"),
    ("the book", "o livro", "ms"),
    ("the dress", "o vestido", "ms"),
    ("the jacket", "a jaqueta", "fs"),
    ("the bag", "a bolsa", "fs"),
    ("the watch", "o relógio", "ms"),
    ("the umbrella", "o guarda-chuva", "ms"),
    ("the hat", "o chapéu", "ms"),
    ("the room", "o quarto", "ms"),
    ("the ticket", "a passagem", "fs"),
    ("the shoes", "os sapatos", "mp"),
    ("the glasses", "os óculos", "mp"),
    ("the apples", "as maçãs", "fp"),
    ("the tomatoes", "os tomates", "mp"),
    ("the flowers", "as flores", "fp"),
    ("the sunglasses", "os óculos de sol", "mp"),
]
CARO = {"ms": "caro", "fs": "cara", "mp": "caros", "fp": "caras"}

# Orders at a café: English, Portuguese with indefinite article, gender
ORDERS = [
    ("a coffee", "um café", "m"),
    ("a tea", "um chá", "m"),
    ("a glass of water", "um copo de água", "m"),
    ("a beer", "uma cerveja", "f"),
    ("an orange juice", "um suco de laranja", "m"),
    ("a sandwich", "um sanduíche", "m"),
    ("a salad", "uma salada", "f"),
    ("a piece of cake", "um pedaço de bolo", "m"),
    ("an ice cream", "um sorvete", "m"),
    ("a bottle of wine", "uma garrafa de vinho", "f"),
    ("a glass of milk", "um copo de leite", "m"),
    ("a cheese bread", "um pão de queijo", "m"),
]
MORE = {"m": "Mais um", "f": "Mais uma"}

# Ages and prices
TENS = [
    (13, "thirteen", "treze"),
    (14, "fourteen", "catorze"),
    (15, "fifteen", "quinze"),
    (16, "sixteen", "dezesseis"),
    (17, "seventeen", "dezessete"),
    (18, "eighteen", "dezoito"),
    (19, "nineteen", "dezenove"),
    (20, "twenty", "vinte"),
    (21, "twenty-one", "vinte e um"),
    (25, "twenty-five", "vinte e cinco"),
    (30, "thirty", "trinta"),
    (40, "forty", "quarenta"),
    (50, "fifty", "cinquenta"),
    (60, "sixty", "sessenta"),
    (70, "seventy", "setenta"),
    (80, "eighty", "oitenta"),
    (90, "ninety", "noventa"),
]
AGE_GROUPS = [  # (lowest age, highest age, people of that age: English, Portuguese)
    (
        2,
        12,
        [
            ("My son", "Meu filho"),
            ("My daughter", "Minha filha"),
            ("My little brother", "Meu irmão mais novo"),
            ("My little sister", "Minha irmã mais nova"),
        ],
    ),
    (
        13,
        29,
        [
            ("He", "Ele"),
            ("She", "Ela"),
            ("My brother", "Meu irmão"),
            ("My sister", "Minha irmã"),
            ("My cousin Pedro", "Meu primo Pedro"),
            ("My cousin Ana", "Minha prima Ana"),
        ],
    ),
    (
        30,
        59,
        [
            ("My father", "Meu pai"),
            ("My mother", "Minha mãe"),
            ("My uncle", "Meu tio"),
            ("My aunt", "Minha tia"),
            ("My boss", "Meu chefe"),
        ],
    ),
    (60, 99, [("My grandfather", "Meu avô"), ("My grandmother", "Minha avó")]),
]


def person_of_age(age: int, index: int) -> tuple[str, str]:
    for low, high, people in AGE_GROUPS:
        if low <= age <= high:
            return people[index % len(people)]
    raise ValueError(age)


def cap(text: str) -> str:
    return text[0].upper() + text[1:]


def templated() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    add = lambda en, pt: out.append((en, pt))  # noqa: E731

    # gostar de + food (a fixed lattice of subject x food, not every combination)
    for i, (en_food, pt_food) in enumerate(FOODS):
        for j, (en_s, en_k, pt_s, pk, _g) in enumerate(SUBJECTS):
            if (i + j) % 3 == 0:
                add(
                    f"{en_s} {en_verb('like', en_k)} {en_food}.",
                    f"{pt_s} {PT['gostar'][pk]} de {pt_food}.",
                )
            elif (i + j) % 3 == 1 and j in (0, 2, 3):
                add(
                    f"{en_s} {EN_DO_NOT[en_k]} like {en_food}.",
                    f"{pt_s} não {PT['gostar'][pk]} de {pt_food}.",
                )
        add(f"Do you like {en_food}?", f"Você gosta de {pt_food}?")

    # gostar de + infinitive
    for i, (en_act, pt_act) in enumerate(HOBBIES):
        for j, (en_s, en_k, pt_s, pk, _g) in enumerate(SUBJECTS):
            if (i + j) % 3 == 0:
                add(
                    f"{en_s} {en_verb('like', en_k)} to {en_act}.",
                    f"{pt_s} {PT['gostar'][pk]} de {pt_act}.",
                )

    # querer / precisar / poder + infinitive
    for table, verb_en, verb_pt in ((WANT, "want", "querer"), (NEED, "need", "precisar")):
        for i, (en_v, pt_v) in enumerate(table):
            for j, (en_s, en_k, pt_s, pk, _g) in enumerate(SUBJECTS):
                if (i + j) % 2 == 0:
                    add(
                        f"{en_s} {en_verb(verb_en, en_k)} to {en_v}.",
                        f"{pt_s} {PT[verb_pt][pk]} {pt_v}.",
                    )
            add(f"Do you {verb_en} to {en_v}?", f"Você {PT[verb_pt]['3s']} {pt_v}?")
    for i, (en_v, pt_v) in enumerate(CAN):
        for j, (en_s, _en_k, pt_s, pk, _g) in enumerate(SUBJECTS):
            if (i + j) % 2 == 0:
                add(f"{en_s} can {en_v}.", f"{pt_s} {PT['poder'][pk]} {pt_v}.")
        add(f"Can you {en_v}?", f"Você pode {pt_v}?")
        add(f"Can I {en_v}?", f"Posso {pt_v}?")

    # estar / ser + adjective, agreement written per form
    for table, verb, step in ((STATES, "estar", 2), (TRAITS, "ser", 2), (NATIONALITIES, "ser", 2)):
        for i, row in enumerate(table):
            for j, (en_s, en_k, pt_s, pk, g) in enumerate(SUBJECTS):
                if (i + j) % step == 0:
                    add(
                        f"{en_s} {EN_BE[en_k]} {row[0]}.", f"{pt_s} {PT[verb][pk]} {row[AGREE[g]]}."
                    )
            if verb == "estar":
                add(f"Are you {row[0]}?", f"Você está {row[1]}?")
                add(f"She isn't {row[0]}.", f"Ela não está {row[2]}.")
            else:
                add(f"They are not {row[0]}.", f"Eles não são {row[3]}.")
                add(f"My sisters are {row[0]}.", f"Minhas irmãs são {row[4]}.")

    # numbers with gender agreement
    for i, (en_sg, en_pl, en_art, pt_sg, pt_pl, g) in enumerate(NOUNS):
        for n, en_n, pt_m, pt_f in NUMBERS[:6]:
            en_s, en_have, pt_subj = HAVE_SUBJECTS[(i + n) % len(HAVE_SUBJECTS)]
            num = pt_m if g == "m" else pt_f
            if n == 1:
                add(f"{en_s} {en_have} {en_art} {en_sg}.", f"{pt_subj} {num} {pt_sg}.")
            else:
                add(f"{en_s} {en_have} {en_n} {en_pl}.", f"{pt_subj} {num} {pt_pl}.")
        how_many = "Quantos" if g == "m" else "Quantas"
        add(f"How many {en_pl} do you have?", f"{how_many} {pt_pl} você tem?")
        add(
            f"I don't have {en_art} {en_sg}.",
            f"Eu não tenho {'um' if g == 'm' else 'uma'} {pt_sg}.",
        )
    for a, en_a, pt_a, _ in NUMBERS[:5]:
        for b, en_b, pt_b, _ in NUMBERS[:5]:
            total = NUMBERS[a + b - 1]
            add(
                f"{cap(en_a)} plus {en_b} is {total[1]}.",
                f"{cap(pt_a)} mais {pt_b} são {total[2]}.",
            )

    # telling the time (hours are feminine)
    for n, en_n, pt_f in HOURS:
        if n == 1:
            add("It's one o'clock.", "É uma hora.")
            add("It's half past one.", "É uma e meia.")
        else:
            add(f"It's {en_n} o'clock.", f"São {pt_f} horas.")
            add(f"It's half past {en_n}.", f"São {pt_f} e meia.")
        for en_e, pt_e, hours in EVENTS:
            if n in hours:
                at = "à uma hora" if n == 1 else f"às {pt_f} horas"
                add(f"{en_e} at {en_n} o'clock.", f"{pt_e} {at}.")

    # days and months
    for en_d, pt_d, on, every in DAYS:
        add(f"Today is {en_d}.", f"Hoje é {pt_d}.")
        add(f"See you on {en_d}!", f"Até {pt_d}!")
        add(f"I work on {en_d}.", f"Eu trabalho {on} {pt_d}.")
        add(f"The party is on {en_d}.", f"A festa é {on} {pt_d}.")
        add(f"The museum is closed on {en_d}s.", f"O museu fecha {every}.")
    for en_m, pt_m in MONTHS:
        add(f"My birthday is in {en_m}.", f"Meu aniversário é em {pt_m}.")
        add(f"We are going to travel in {en_m}.", f"Nós vamos viajar em {pt_m}.")

    # colours with agreement
    for i, (en_t, en_a, pt_t, g, def_art, indef) in enumerate(THINGS):
        verb_en, verb_pt = ("is", "é") if g in ("ms", "fs") else ("are", "são")
        for j, col in enumerate(COLOURS):
            if (i + j) % 3 == 0:
                add(
                    f"The {en_t} {verb_en} {col[0]}.",
                    f"{def_art} {pt_t} {verb_pt} {col[AGREE[g]]}.",
                )
            elif (i + j) % 3 == 1 and en_t in NOT_BOUGHT:
                add(
                    f"The {en_t} {verb_en} {col[0]}.",
                    f"{def_art} {pt_t} {verb_pt} {col[AGREE[g]]}.",
                )
            elif (i + j) % 3 == 1:
                article = "an" if col[0][0] in "aeiou" else "a"
                en_obj = f"{article} {col[0]} {en_t}" if en_a else f"{col[0]} {en_t}"
                pt_obj = f"{indef} {pt_t} {col[AGREE[g]]}" if indef else f"{pt_t} {col[AGREE[g]]}"
                add(f"I bought {en_obj}.", f"Eu comprei {pt_obj}.")

    # places
    for en_a, en_p, pt_p, g in PLACES:
        defi, indef, to, _of, _in = ART[g]
        add(f"Where is the {en_p}?", f"Onde fica {defi} {pt_p}?")
        add(f"Is there {en_a} {en_p} near here?", f"Tem {indef} {pt_p} aqui perto?")
        add(f"I'm going to the {en_p}.", f"Eu vou {to} {pt_p}.")
        add(f"How do I get to the {en_p}?", f"Como eu chego {to} {pt_p}?")

    # family and jobs
    for i, (en_f, pt_f, g) in enumerate(FAMILY):
        for j, (en_job, m, f) in enumerate(JOBS):
            if (i + j) % 4 == 0:
                add(f"{en_f} is {en_job}.", f"{pt_f} é {m if g == 'm' else f}.")
        add(f"This is {en_f.lower()}.", f"{'Este é o' if g == 'm' else 'Esta é a'} {pt_f.lower()}.")
    # family and places
    for i, (en_f, pt_f, _g) in enumerate(FAMILY):
        for j, (en_c, pt_c, art) in enumerate(CITIES):
            if (i + j) % 6 == 0:
                add(f"{en_f} lives in {en_c}.", f"{pt_f} mora {EM[art]} {pt_c}.")
    for i, (en_c, pt_c, art) in enumerate(COUNTRIES):
        en_s, en_k, pt_s, pk, _g = SUBJECTS[i % len(SUBJECTS)]
        add(f"{en_s} {EN_BE[en_k]} from {en_c}.", f"{pt_s} {PT['ser'][pk]} {DE[art]} {pt_c}.")
        en_s, en_k, pt_s, pk, _g = SUBJECTS[(i + 3) % len(SUBJECTS)]
        add(
            f"{en_s} {en_verb('live', en_k)} in {en_c}.",
            f"{pt_s} {PT['morar'][pk]} {EM[art]} {pt_c}.",
        )
        visit = f"{art} {pt_c}" if art else pt_c
        add(f"I want to visit {en_c}.", f"Eu quero visitar {visit}.")
        add(f"I've never been to {en_c}.", f"Eu nunca fui {A[art]} {pt_c}.")

    # shopping
    for en_i, pt_i, g in ITEMS:
        plural = g in ("mp", "fp")
        add(
            f"How much {'are' if plural else 'is'} {en_i}?",
            f"Quanto {'custam' if plural else 'custa'} {pt_i}?",
        )
        add(
            f"{cap(en_i)} {'are' if plural else 'is'} too expensive.",
            f"{cap(pt_i)} {'estão' if plural else 'está'} {CARO[g]} demais.",
        )
    for en_o, pt_o, g in ORDERS:
        add(f"I'd like {en_o}, please.", f"Eu gostaria de {pt_o}, por favor.")
        add(
            f"Another {en_o.split(' ', 1)[1]}, please.",
            f"{MORE[g]} {pt_o.split(' ', 1)[1]}, por favor.",
        )

    # ages and prices
    for i, (n, en_n, pt_n) in enumerate(TENS):
        en_s, pt_s = person_of_age(n, i)
        add(f"{en_s} is {en_n} years old.", f"{pt_s} tem {pt_n} anos.")
        if n < 30:
            add(f"It costs {en_n} reais.", f"Custa {pt_n} reais.")
    for n, en_n, pt_m, _f in NUMBERS[1:]:
        add(f"It costs {en_n} reais.", f"Custa {pt_m} reais.")
        en_s, pt_s = person_of_age(n, n)
        add(f"{en_s} is {en_n} years old.", f"{pt_s} tem {pt_m} anos.")
    return out


def main() -> None:
    pairs: list[tuple[str, str]] = []
    for line in HAND.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        en, pt = (part.strip() for part in line.split(" | "))
        pairs.append((en, pt))
    pairs.extend(templated())

    seen: set[str] = set()
    lines: list[str] = []
    for en, pt in pairs:
        en, pt = unicodedata.normalize("NFC", en), unicodedata.normalize("NFC", pt)
        assert en and pt and "\t" not in en + pt and "  " not in en + pt, (en, pt)
        assert max(len(en), len(pt)) <= MAX_CHARS, (en, pt)
        if en in seen:
            continue
        seen.add(en)
        lines.append(f"{en}\t{pt}\n")
    OUTPUT.write_text("".join(lines), encoding="utf-8", newline="\n")
    print(f"wrote {len(lines)} pairs to {OUTPUT}")


if __name__ == "__main__":
    main()
